"""docker-compose.yml is a valid production description: web, worker, beat, PostgreSQL, Redis (issue 3)."""

import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_file_is_accepted_by_docker_compose(tmp_path):
    assert shutil.which("docker-compose"), "make setup installs Debian's docker-compose"
    (tmp_path / "docker-compose.yml").write_text((ROOT / "docker-compose.yml").read_text())
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text())
    (tmp_path / "Dockerfile").write_text((ROOT / "Dockerfile").read_text())
    result = subprocess.run(
        ["docker-compose", "config"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    services = config["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    assert services["db"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    for name in ("web", "worker", "db", "redis"):
        assert "healthcheck" in services[name], name
    web_command = services["web"]["command"]
    assert "gunicorn" in (" ".join(web_command) if isinstance(web_command, list) else web_command)
    assert set(config["volumes"]) >= {"pgdata", "redisdata", "media"}


def test_passwords_are_hashed_with_argon2_and_older_pbkdf2_hashes_still_verify():
    """ACC-1/ACC-2: new hashes are Argon2id; PBKDF2 stays listed so older hashes still verify.

    The test settings swap in MD5 for speed, so this reads the project's own list, which production uses.
    """
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from docregsys import settings as project_settings

    hashers = project_settings.PASSWORD_HASHERS
    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in hashers
    argon = Argon2PasswordHasher()
    encoded = argon.encode("Yiliao2024go", argon.salt())
    assert encoded.startswith("argon2$argon2id$")
    assert argon.verify("Yiliao2024go", encoded) and not argon.verify("Yiliao2024gx", encoded)
