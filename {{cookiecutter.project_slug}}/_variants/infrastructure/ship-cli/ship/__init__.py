"""ship: build, push and deploy this kit to AWS with boto3, idempotently.

Run ``ship --help`` (or ``python -m ship --help`` from the kit's root). It lives beside ``src/``,
outside the function's package, so the image never holds it.
"""
