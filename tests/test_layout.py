"""The layout tells the architecture: imports point down the layers (no cycle, no arrow back up)
and every module is small enough to read in one sitting."""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _graph():
    spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts" / "import_graph.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_every_import_points_down_the_layers():
    g = _graph()
    found = g.edges()
    assert ("stages", "translate") in found and ("cli", "pipeline") in found  # the scan sees imports
    assert g.upward(found) == []


def test_an_upward_import_would_be_caught():
    g = _graph()
    assert g.upward({("text", "stages"): {"pipeline/text/x.py"}}) == ["text -> stages (pipeline/text/x.py)"]


def test_no_module_over_300_lines():
    long = {str(f.relative_to(ROOT)): n for f in (ROOT / "pipeline").rglob("*.py")
            if (n := len(f.read_text(encoding="utf-8").splitlines())) > 300}
    assert long == {}
