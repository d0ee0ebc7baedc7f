"""kill -9 at random points of a folder run (10 trials), each followed by a re-run: the outputs
equal a clean run's and no temporary file is left (issue 15, item 9 and the kill target)."""
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_runner_stages import outputs_of

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[1]
TRIALS = 10


def test_kill_9_at_random_points_then_rerun_equals_a_clean_run(tmp_path, model_config, corpus):
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
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}

    # no translation memory: every run does the whole work, so the kills land while it is done
    base = re.sub(r'(?m)^cache = .*$', 'cache = ""', model_config.read_text())
    (tmp_path / "nocache.toml").write_text(base)
    (tmp_path / "one.toml").write_text(base.replace("batch_size = 8", "batch_size = 1"))

    def run(out: Path, wait: bool = True, batch_one: bool = False) -> subprocess.Popen:
        # batch_one: one document per chunk: more points where a kill lands between documents
        cfg = tmp_path / ("one.toml" if batch_one else "nocache.toml")
        p = subprocess.Popen([sys.executable, "-m", "pipeline.cli", "run", str(src), "--out", str(out),
                              "--config", str(cfg), "-q"], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if wait:
            _, err = p.communicate(timeout=600)
            assert p.returncode == 0, err.decode()
        return p

    clean = tmp_path / "clean"
    t0 = time.monotonic()
    run(clean)
    full = time.monotonic() - t0
    want = outputs_of(clean)
    rnd = random.Random(9)
    log = []
    for trial in range(TRIALS):
        out = tmp_path / f"killed{trial}"
        p = run(out, wait=False, batch_one=trial % 2 == 1)
        delay = rnd.uniform(0.4 * full, full)  # mostly while documents are processed (start-up ~half)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)  # the worker process dies with it (PR_SET_PDEATHSIG)
        p.wait()
        done = 0
        if (out / "report.jsonl").exists():
            done = sum(json.loads(line)["status"] == "ok" for line in (out / "report.jsonl").read_text().splitlines()
                       if line.strip().endswith("}"))
        run(out, batch_one=trial % 2 == 1)
        assert outputs_of(out) == want, f"trial {trial}: killed after {delay:.1f} s"
        assert not [q for q in out.rglob("*") if q.name.endswith(".tmp")], f"trial {trial}: temp files left"
        log.append(f"{delay:.1f}s:{done}")
    print(f"kill -9 trials (delay: documents finished before the kill, of 32): {' '.join(log)}; "
          f"clean run {full:.1f} s")
