"""`make run` keeps every app running: one that dies is started again, with a growing wait."""

from dataclasses import dataclass

from stack.devserver import Supervisor


@dataclass
class _App:
    code: int | None = None

    def poll(self) -> int | None:
        return self.code


def test_an_app_that_dies_is_started_again_with_backoff_and_the_others_keep_running() -> None:
    now = [0.0]
    said: list[str] = []
    started: list[str] = []
    apps = {"kpi": _App(), "web": _App()}

    def start(name: str) -> _App:
        started.append(name)
        return _App()

    supervisor = Supervisor(
        apps, start, say=said.append, clock=lambda: now[0], backoff=1, stable_after=60
    )
    apps["kpi"].code = 3
    supervisor.check()
    assert said == ["kpi exited with code 3; starting it again in 1 s. See .data/logs/."]
    assert started == []
    now[0] = 1.0
    supervisor.check()
    assert started == ["kpi"]
    assert said[-1] == "Started kpi again."
    supervisor.processes["kpi"].code = 1  # dies again at once: the wait doubles
    now[0] = 2.0
    supervisor.check()
    assert said[-1].endswith("starting it again in 2 s. See .data/logs/.")
    now[0] = 4.0
    supervisor.check()
    assert started == ["kpi", "kpi"]
    assert apps["web"].poll() is None  # untouched throughout
    supervisor.processes["kpi"].code = 1  # after running well for a while: back to 1 s
    now[0] = 100.0
    supervisor.check()
    assert said[-1].endswith("starting it again in 1 s. See .data/logs/.")
