"""deploy/gunicorn.conf.py as gunicorn reads it."""

import os
import re
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def _gunicorn_config(**env: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PORT", "WEB_CONCURRENCY", "GUNICORN_BIND", "FORWARDED_ALLOW_IPS")
    }
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            "deploy/gunicorn.conf.py",
            "--print-config",
        ],
        cwd=BASE_DIR,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return dict(
        re.match(r"(\w+)\s+= (.*)", line).groups()
        for line in result.stdout.splitlines()
        if re.match(r"\w+\s+= ", line)
    )


def test_workers_follow_the_cores_and_the_address_is_loopback():
    config = _gunicorn_config()
    assert config["wsgi_app"] == "medborgarlofte.wsgi:application"
    assert config["workers"] == str(2 * len(os.sched_getaffinity(0)) + 1)
    assert config["bind"] == "['127.0.0.1:8000']"
    assert config["accesslog"] == "-"
    assert config["timeout"] == "30"
    assert config["graceful_timeout"] == "30"
    assert config["forwarded_allow_ips"] == "['127.0.0.1', '::1']"


def test_the_environment_sets_workers_port_and_trusted_proxies():
    config = _gunicorn_config(WEB_CONCURRENCY="3", PORT="9001", FORWARDED_ALLOW_IPS="10.0.0.2")
    assert config["workers"] == "3"
    assert config["bind"] == "['127.0.0.1:9001']"
    assert config["forwarded_allow_ips"] == "['10.0.0.2']"
    assert _gunicorn_config(GUNICORN_BIND="0.0.0.0:8000")["bind"] == "['0.0.0.0:8000']"


def test_each_worker_warms_up_before_its_first_request():
    config = _gunicorn_config()
    # gunicorn names its own defaults by their class (<WhenReady.when_ready()>).
    assert config["post_worker_init"] == "<post_worker_init()>"
    assert config["post_request"] == "<post_request()>"
    assert config["when_ready"] == "<WhenReady.when_ready()>"
    source = (BASE_DIR / "deploy" / "gunicorn.conf.py").read_text()
    assert "warm_up(worker.wsgi)" in source
    assert "freeze_startup_objects()" in source
    assert "collect_between_requests()" in source
    # Workers renew at limits spread widely enough that they never all warm up at once.
    assert config["max_requests"] == "2000"
    assert config["max_requests_jitter"] == "1000"
