"""kill -9 at 10 points of a folder run, each followed by a re-run: the outputs equal a clean
run's and no temporary file is left (issue 15, item 9 and the kill target).

The kill points are set by progress, not by the clock, so a loaded machine does not bunch them:
one before any document is finished, the others after 1, 4, 8, ... of the 32 documents (plus up to
50 ms), alternately with 8 documents per chunk and with one. On `fake_config` (the lookup engine:
what is tested is the runner's writing and resuming, not the models), slowed to 10 ms per
sentence so that a chunk takes a while to translate, as with real models.
"""
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import fakes
import pytest
from test_runner_stages import outputs_of, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.subprocess]
ROOT = Path(__file__).resolve().parents[1]
TRIALS = 10


def test_kill_9_at_random_points_then_rerun_equals_a_clean_run(tmp_path, fake_config, corpus):
    import docx

    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    for i in range(30):  # enough documents that most kills land while documents are being written
        lang = ("en", "ru", "kk")[i % 3]
        (src / f"d{i:02d}.txt").write_text(f"{corpus[i % 15][lang]} {corpus[(i * 7) % 15][lang]}\n",
                                           encoding="utf-8")
    (src / "sub" / "n.md").write_text(f'# {corpus[15]["en"]}\n\n{corpus[16]["en"]}\n', encoding="utf-8")
    d = docx.Document()
    d.add_paragraph(corpus[17]["ru"])
    d.save(src / "sub" / "w.docx")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "NGO_TEST_LOOKUP_DELAY": "0.01"}

    # no translation memory: every run does the whole work, so the kills land while it is done
    base = re.sub(r'(?m)^cache = .*$', 'cache = ""', fake_config.read_text())
    (tmp_path / "nocache.toml").write_text(base)
    (tmp_path / "one.toml").write_text(base.replace("batch_size = 8", "batch_size = 1"))

    def run(out: Path, wait: bool = True, batch_one: bool = False) -> subprocess.Popen:
        # batch_one: one document per chunk: more points where a kill lands between documents
        cfg = tmp_path / ("one.toml" if batch_one else "nocache.toml")
        p = subprocess.Popen(fakes.cli("run", str(src), "--out", str(out), "--config", str(cfg), "-q"),
                             cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if wait:
            _, err = p.communicate(timeout=600)
            assert p.returncode == 0, err.decode()
        return p

    def finished(out: Path) -> int:
        try:
            lines = (out / "report.jsonl").read_text().splitlines()
        except OSError:
            return 0
        return sum(json.loads(line)["status"] == "ok" for line in lines if line.strip().endswith("}"))

    clean = tmp_path / "clean"
    t0 = time.monotonic()
    p = run(clean, wait=False)
    assert wait_for(lambda: finished(clean) > 0, 600)
    first = time.monotonic() - t0  # start-up and the first chunk
    _, err = p.communicate(timeout=600)
    assert p.returncode == 0, err.decode()
    full = time.monotonic() - t0
    want = outputs_of(clean)
    n = finished(clean)
    # Kill points spread over the whole run, whatever the machine's load: before any document is
    # finished, then after 1, 4, ... of them (plus up to 50 ms), so kills land while a chunk is
    # translated, while its documents are written, and between chunks.
    after = [0] + [round(1 + i * (n - 2) / (TRIALS - 2)) for i in range(TRIALS - 1)]
    rnd = random.Random(9)
    log, at_kill = [], []
    for trial in range(TRIALS):
        out = tmp_path / f"killed{trial}"
        p = run(out, wait=False, batch_one=trial % 2 == 1)
        t1 = time.monotonic()
        if after[trial] == 0:
            time.sleep(rnd.uniform(0.3, 0.9) * first)
        else:
            assert wait_for(lambda: finished(out) >= after[trial] or p.poll() is not None, 600)
            time.sleep(rnd.uniform(0, 0.05))
        delay = time.monotonic() - t1
        p.send_signal(signal.SIGKILL)  # the worker process dies with it (PR_SET_PDEATHSIG)
        p.wait()
        done = finished(out)
        at_kill.append(done)
        run(out, batch_one=trial % 2 == 1)
        assert outputs_of(out) == want, f"trial {trial}: killed after {delay:.1f} s, {done} documents finished"
        assert not [q for q in out.rglob("*") if q.name.endswith(".tmp")], f"trial {trial}: temp files left"
        log.append(f"{delay:.1f}s:{done}")
    assert len(set(at_kill)) >= TRIALS // 2 and min(at_kill) < n // 4 and sum(d < n for d in at_kill) >= TRIALS - 2, \
        f"the kills did not spread over the run: {log}"
    print(f"kill -9 trials (delay: documents finished before the kill, of {n}): {' '.join(log)}; "
          f"clean run {full:.1f} s")
