"""ship: build, push and deploy this kit to AWS with boto3, idempotently.

Run ``python -m {{ cookiecutter.package_name }}.ship --help``. Not part of the Lambda image.
"""
