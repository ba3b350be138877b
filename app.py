"""Entry point (what a Hugging Face Space runs): build the interview room and serve it."""

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# Gradio rebuilds a pandas summary of its last 10,000 events after every event (9 ms at that
# size, on a ~70 ms event); once per hundred events is plenty for its monitoring view
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "100")

from interviewer.config import Settings  # noqa: E402
from interviewer.resources import load_resources  # noqa: E402
from interviewer.ui import build_app, launch_kwargs, queue  # noqa: E402

if __name__ == "__main__":
    resources = load_resources(Settings.from_env().serving())
    queue(build_app(resources), resources).launch(**launch_kwargs(resources))
