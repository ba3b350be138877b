"""Entry point (what a Hugging Face Space runs): build the interview room and serve it."""

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
# Gradio rebuilds a pandas summary of its last 10,000 events after every event (9 ms at that
# size, on a ~70 ms event); once per hundred events is plenty for its monitoring view
os.environ.setdefault("GRADIO_ANALYTICS_CACHE_FREQUENCY", "100")

if __name__ == "__main__":
    # imported here, not above: the encoding worker is a spawned process that runs this file's
    # top level again, and needs none of the web app (about 40 MB of imports)
    from interviewer.config import Settings
    from interviewer.resources import load_resources
    from interviewer.ui import build_app, launch_kwargs, queue

    resources = load_resources(Settings.from_env().serving())
    queue(build_app(resources), resources).launch(**launch_kwargs(resources))
