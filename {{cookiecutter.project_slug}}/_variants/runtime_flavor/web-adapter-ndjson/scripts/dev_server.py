"""What `make dev` serves: the server (with its events route, as `make dev` sets
AWS_LWA_PASS_THROUGH_PATH), plus the playground page at /.

Local only: this file and the page are not in the Lambda image, so the deployed function
has no route for /.
"""

from pathlib import Path

from fastapi.responses import HTMLResponse

from {{ cookiecutter.package_name }}.kit.server import create_server

PLAYGROUND = Path(__file__).with_name("playground.html")

app = create_server()


@app.get("/", response_model=None)
async def playground() -> HTMLResponse:
    return HTMLResponse(PLAYGROUND.read_text())
