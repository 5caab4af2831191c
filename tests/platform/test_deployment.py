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
    result = subprocess.run(["docker-compose", "config"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
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
