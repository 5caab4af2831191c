"""docregsys: the physician electronic registration portal (医师电子化注册信息系统)."""

from .celery import app as celery_app

__all__ = ["celery_app"]
