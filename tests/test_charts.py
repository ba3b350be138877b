"""Charts are PNG bytes drawn without pyplot: nothing process-wide changes (the web server's
threads draw at the same time)."""

import subprocess
import sys

from interviewer.charts import bars_png, score_histogram_png

PNG = b"\x89PNG\r\n\x1a\n"


def test_charts_are_png_even_when_empty():
    assert score_histogram_png([0, 55, 55, 100]).startswith(PNG)
    assert score_histogram_png([]).startswith(PNG)
    assert bars_png(["Adam", "BatchNorm"], [40.0, 85.5], "Mastery").startswith(PNG)
    assert bars_png([], [], "Mastery").startswith(PNG)


def test_drawing_leaves_pyplot_alone():
    # (reading rcParams["backend"] would itself import pyplot: pyplot is the tell)
    code = ("import sys\n"
            "from interviewer.charts import score_histogram_png; score_histogram_png([1, 2])\n"
            "print('matplotlib.pyplot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["False"], out.stderr
