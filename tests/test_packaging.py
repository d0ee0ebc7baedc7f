"""A wheel, installed into a fresh environment (not editable), works: the catalog is found inside
the package, `models list` runs, the default pipeline builds, and the store is per-user, not
inside site-packages."""
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.install
@pytest.mark.subprocess
@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_source_tree(tmp_path):
    dist = tmp_path / "dist"
    r = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist),
                        str(ROOT)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    wheel = next(dist.glob("ngo_pipeline-*.whl"))
    env_dir = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    py = env_dir / "bin" / "python"
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # the dependencies come from this environment's site-packages (a path, not a site dir: its
    # editable-install hook for `pipeline` is not run); the project itself only from the wheel
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(site), str(wheel)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NGO_PIPELINE_MODELS", "NGO_PIPELINE_CATALOG")}
    env["HOME"] = str(tmp_path / "home")
    code = ("import pipeline, sys; from pipeline import Pipeline; from pipeline.cli import main\n"
            "assert pipeline.__file__.startswith(sys.argv[1]), pipeline.__file__\n"
            "p = Pipeline.default(); print([s.factory_name for _, s in p.stages])\n"
            "sys.exit(main(['models', 'list']))\n")
    r = subprocess.run([str(py), "-c", code, str(site)], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode == 0, r.stderr[-3000:]
    assert "opus-mt-en-ru" in r.stdout and "nllb-200-distilled-600M" in r.stdout
    assert f"store: {tmp_path / 'home' / '.cache' / 'ngo-pipeline' / 'models'}" in r.stdout
    assert "'translate'" in r.stdout
