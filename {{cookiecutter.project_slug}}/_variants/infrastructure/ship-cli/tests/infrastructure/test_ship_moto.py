"""ship against a real moto server on 127.0.0.1: every call goes over HTTP, as it would to AWS.

The first two tests read the session's shared deployment (``ship_moto.shared_deployment``); the
others start from an empty server of this module, reset before each test.
"""

from __future__ import annotations

import json
import os
import stat
import urllib.request

import boto3
import pytest
from ship_moto import (
    FULL,
    KIT,
    NAME,
    REGION,
    ROOT,
    USER_SECRET,
    Recorder,
    part_functions,
    push_image,
    shared_deployment,
    ship,
    start_server,
    write_config,
)

from ship import provider
from ship.cli import main
from ship.config import load
from ship.flavor import FUNCTIONS
from ship.plan import Plan

# Actions the model provider adds to the role's policy (its own tests pin each statement).
MODEL_ACTIONS = {
    action
    for statement in provider.statements(Plan(load(ROOT / "ship.toml"), FUNCTIONS), "aws", "1", "arn:secret")
    for action in statement["Action"]
}


@pytest.fixture(scope="module")
def moto_endpoint():
    server, endpoint = start_server()
    yield endpoint
    server.stop()


@pytest.fixture(scope="module")
def deployed():
    return shared_deployment()


@pytest.fixture
def aws(moto_endpoint, environment, tmp_path):
    urllib.request.urlopen(urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST"))
    environment.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    environment.chdir(tmp_path)
    return lambda service: boto3.client(service, region_name=REGION)


API_STATEMENTS = ["ship-rest-api"] if KIT.get("api_gateway") == "rest" else []

SIMPLE = {
    "function_url_auth": "AWS_IAM",
    "api_key_source": "none",
    "sqs_worker": True,
    "schedule_expression": "",
}


def test_first_deploy_creates_every_resource_with_the_asserted_values(deployed):
    aws, recorder, out = deployed.client, deployed.first.recorder, deployed.first.out

    repo = aws("ecr").describe_repositories(repositoryNames=[NAME])["repositories"][0]
    assert repo["imageScanningConfiguration"]["scanOnPush"] is True
    image = f"{repo['repositoryUri']}@{deployed.digest}"

    iam = aws("iam")
    role = iam.get_role(RoleName=f"{NAME}-lambda")["Role"]
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "Service": "lambda.amazonaws.com"
    }
    policy = iam.get_role_policy(RoleName=f"{NAME}-lambda", PolicyName="ship-least-privilege")[
        "PolicyDocument"
    ]
    actions = {action for statement in policy["Statement"] for action in statement["Action"]}
    assert actions == {
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "sqs:ChangeMessageVisibility",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ReceiveMessage",
        "sqs:SendMessage",
        "secretsmanager:GetSecretValue",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:UpdateItem",
        *MODEL_ACTIONS,
    }
    log_groups = {f"/aws/lambda/{NAME}{spec.suffix}" for spec in FUNCTIONS}
    [logs] = [s["Resource"] for s in policy["Statement"] if s["Sid"] == "WriteOwnLogs"]
    assert {arn.split(":log-group:")[1].removesuffix(":*") for arn in logs} == log_groups

    sqs = aws("sqs")
    queue_url = sqs.get_queue_url(QueueName=f"{NAME}-queue")["QueueUrl"]
    dlq_url = sqs.get_queue_url(QueueName=f"{NAME}-dlq")["QueueUrl"]
    queue = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    assert queue["VisibilityTimeout"] == str(6 * FULL["timeout_s"])
    assert json.loads(queue["RedrivePolicy"]) == {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5}
    resources = {statement["Sid"]: statement["Resource"] for statement in policy["Statement"]}
    assert resources["UseOwnQueue"] == queue["QueueArn"]

    ddb = aws("dynamodb")
    table = ddb.describe_table(TableName=f"{NAME}-messages")["Table"]
    assert resources["UseOwnMessagesTable"] == table["TableArn"]
    assert table["KeySchema"] == [{"AttributeName": "response_uuid", "KeyType": "HASH"}]
    [created] = recorder.sent("CreateTable")
    assert created["BillingMode"] == "PAY_PER_REQUEST"
    assert ddb.describe_time_to_live(TableName=f"{NAME}-messages")["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED",
        "AttributeName": "expires_at",
    }
    tags = ddb.list_tags_of_resource(ResourceArn=table["TableArn"])["Tags"]
    assert {"Key": "ship:app", "Value": NAME} in tags

    secret = aws("secretsmanager").describe_secret(SecretId=f"{NAME}/api-key")
    assert resources["ReadOwnApiKey"] == secret["ARN"]
    assert len(aws("secretsmanager").get_secret_value(SecretId=secret["ARN"])["SecretString"]) >= 40

    lam = aws("lambda")
    for spec in FUNCTIONS:
        name = NAME + spec.suffix
        found = lam.get_function(FunctionName=name)
        config = found["Configuration"]
        assert found["Code"]["ImageUri"] == image
        assert found["Tags"]["ship:app"] == NAME
        assert (config["PackageType"], config["MemorySize"], config["Timeout"]) == ("Image", 2048, 120)
        assert config["Architectures"] == [KIT["architecture"]]
        assert config["Role"] == role["Arn"]
        env = config["Environment"]["Variables"]
        assert env["SERVICE_NAME"] == name
        assert env["SQS_QUEUE_URL"] == queue_url
        assert env["MESSAGES_TABLE"] == f"{NAME}-messages"
        assert env["API_KEY_SOURCE"] == "secretsmanager"
        assert env["API_KEY_SECRET_ID"] == secret["ARN"]
        assert env["LLM_PROVIDER"] == KIT["llm_provider"]
        assert env[USER_SECRET[0]] == USER_SECRET[1]
        assert env["LOG_LEVEL"] == "DEBUG"
        # Tracing is off unless ship.toml turns it on.
        assert (config["TracingConfig"], env.get("OTEL_TRACES_EXPORTER")) == ({"Mode": "PassThrough"}, None)
        for key, value in spec.environment.items():
            assert env[key] == value
        groups = aws("logs").describe_log_groups(logGroupNamePrefix=f"/aws/lambda/{name}")["logGroups"]
        assert [group["retentionInDays"] for group in groups if group["logGroupName"].endswith(name)] == [30]
        if spec.url_invoke_mode:
            url = lam.get_function_url_config(FunctionName=name)
            assert url["AuthType"] == "NONE"
            assert url["FunctionUrl"] in out
            [sent] = [p for p in recorder.sent("CreateFunctionUrlConfig") if p["FunctionName"] == name]
            assert sent == {"FunctionName": name, "AuthType": "NONE", "InvokeMode": spec.url_invoke_mode}
            permissions = {
                p["StatementId"]: p for p in recorder.sent("AddPermission") if p["FunctionName"] == name
            }
            assert permissions["ship-url-public"]["Action"] == "lambda:InvokeFunctionUrl"
            assert permissions["ship-url-public"]["FunctionUrlAuthType"] == "NONE"
            assert permissions["ship-url-public-invoke"]["Action"] == "lambda:InvokeFunction"
            assert permissions["ship-url-public-invoke"]["InvokedViaFunctionUrl"] is True
            stored = json.loads(lam.get_policy(FunctionName=name)["Policy"])["Statement"]
            assert {"ship-url-public", "ship-url-public-invoke"} <= {s["Sid"] for s in stored}
        else:
            assert not [p for p in recorder.sent("CreateFunctionUrlConfig") if p["FunctionName"] == name]

    [worker] = [spec for spec in FUNCTIONS if spec.queue]
    mappings = lam.list_event_source_mappings(EventSourceArn=queue["QueueArn"])["EventSourceMappings"]
    assert len(mappings) == 1
    [sent] = recorder.sent("CreateEventSourceMapping")
    assert sent["FunctionName"] == NAME + worker.suffix
    assert sent["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert sent["BatchSize"] == 10

    [scheduled] = [spec for spec in FUNCTIONS if spec.schedule]
    events = aws("events")
    rule = events.describe_rule(Name=f"{NAME}-schedule")
    assert (rule["ScheduleExpression"], rule["State"]) == ("rate(5 minutes)", "ENABLED")
    [target] = events.list_targets_by_rule(Rule=f"{NAME}-schedule")["Targets"]
    assert (
        target["Arn"]
        == lam.get_function(FunctionName=NAME + scheduled.suffix)["Configuration"]["FunctionArn"]
    )
    [allow] = [p for p in recorder.sent("AddPermission") if p["StatementId"] == "ship-schedule"]
    assert (allow["Principal"], allow["SourceArn"]) == ("events.amazonaws.com", rule["Arn"])

    assert f"queue url: {queue_url}" in out
    assert f"{USER_SECRET[0]}=to****ef" in out
    assert USER_SECRET[1] not in out


def test_second_deploy_changes_nothing_and_creates_no_duplicates(deployed):
    again = deployed.second
    assert again.recorder.mutations() == []
    assert " created" not in again.out
    assert " updated" not in again.out
    assert "unchanged" in again.out
    lam = deployed.client("lambda")
    queue_arn = deployed.client("sqs").get_queue_attributes(
        QueueUrl=deployed.client("sqs").get_queue_url(QueueName=f"{NAME}-queue")["QueueUrl"],
        AttributeNames=["QueueArn"],
    )["Attributes"]["QueueArn"]
    assert len(lam.list_event_source_mappings(EventSourceArn=queue_arn)["EventSourceMappings"]) == 1
    assert len(deployed.client("events").list_targets_by_rule(Rule=f"{NAME}-schedule")["Targets"]) == 1
    for spec in FUNCTIONS:
        policy = json.loads(lam.get_policy(FunctionName=NAME + spec.suffix)["Policy"])
        sids = [statement["Sid"] for statement in policy["Statement"]]
        assert len(sids) == len(set(sids))


def test_a_new_image_and_changed_settings_update_in_place(aws, tmp_path, capsys):
    write_config(tmp_path, **FULL)
    push_image(aws, "v1")
    assert ship(Recorder(), "deploy") == 0
    new_digest = push_image(aws, "v2")
    recorder = Recorder()
    uri = aws("ecr").describe_repositories()["repositories"][0]["repositoryUri"]
    assert ship(recorder, "deploy", "--image", f"{uri}:v2", "--timeout", "300") == 0
    # Every function, the optional parts' included, comes from the same image.
    assert {p["FunctionName"] for p in recorder.sent("UpdateFunctionCode")} == {
        NAME + s.suffix for s in FUNCTIONS
    } | set(part_functions())
    assert all(p["ImageUri"].endswith(new_digest) for p in recorder.sent("UpdateFunctionCode"))
    # The queue's visibility grows before the function's timeout, which AWS would otherwise refuse.
    order = [
        name for _, name, _ in recorder.calls if name in ("SetQueueAttributes", "UpdateFunctionConfiguration")
    ]
    assert order[0] == "SetQueueAttributes"
    assert recorder.sent("SetQueueAttributes")[0]["Attributes"] == {"VisibilityTimeout": "1800"}
    assert "CreateFunction" not in recorder.mutations()


def test_iam_auth_with_ssm_key_and_no_schedule(aws, tmp_path, capsys):
    write_config(tmp_path, function_url_auth="AWS_IAM", api_key_source="ssm", schedule_expression="")
    push_image(aws)
    assert ship(Recorder(), "deploy") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"SSM parameter /{NAME}/api-key does not exist" in err
    aws("ssm").put_parameter(Name=f"/{NAME}/api-key", Type="SecureString", Value="k" * 40)
    recorder = Recorder()
    assert ship(recorder, "deploy") == 0
    policy = aws("iam").get_role_policy(RoleName=f"{NAME}-lambda", PolicyName="ship-least-privilege")
    [read] = [s for s in policy["PolicyDocument"]["Statement"] if s["Sid"] == "ReadOwnApiKey"]
    assert read["Action"] == ["ssm:GetParameter"]
    assert read["Resource"].endswith(f":parameter/{NAME}/api-key")
    # The only statement an IAM-auth URL needs is the REST API's, where there is one.
    assert [p["StatementId"] for p in recorder.sent("AddPermission")] == API_STATEMENTS
    assert aws("events").list_rules()["Rules"] == []
    assert {p["AuthType"] for p in recorder.sent("CreateFunctionUrlConfig")} == {"AWS_IAM"}


def test_switching_to_iam_auth_removes_the_public_statements(aws, tmp_path):
    write_config(tmp_path, **FULL)
    push_image(aws)
    assert ship(Recorder(), "deploy") == 0
    write_config(tmp_path, **{**FULL, "function_url_auth": "AWS_IAM"})
    recorder = Recorder()
    assert ship(recorder, "deploy") == 0
    removed = {p["StatementId"] for p in recorder.sent("RemovePermission")}
    assert removed == {"ship-url-public", "ship-url-public-invoke"}


def test_failure_mid_deploy_is_one_line_and_a_rerun_completes(aws, tmp_path, capsys):
    write_config(tmp_path, **FULL)
    push_image(aws)
    broken = Recorder()
    broken.fail_once = {"CreateFunctionUrlConfig"}
    assert ship(broken, "deploy") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "AWS refused CreateFunctionUrlConfig: ServiceUnavailable: injected outage" in err
    assert "run ship deploy again" in err

    recorder = Recorder()
    assert ship(recorder, "deploy") == 0
    # The optional parts' functions come last, so the failed run never reached them.
    assert [p["FunctionName"] for p in recorder.sent("CreateFunction")] == part_functions()
    assert "CreateFunctionUrlConfig" in recorder.mutations()
    lam = aws("lambda")
    assert len(lam.list_functions()["Functions"]) == len(FUNCTIONS) + len(part_functions())
    assert len(lam.list_event_source_mappings()["EventSourceMappings"]) == 1
    for spec in FUNCTIONS:
        if spec.url_invoke_mode:
            assert lam.get_function_url_config(FunctionName=NAME + spec.suffix)["AuthType"] == "NONE"
    assert ship(Recorder(), "deploy") == 0
    assert "created" not in capsys.readouterr().out.split("ship deploy")[-1]


def test_destroy_removes_what_ship_created_and_nothing_else(aws, tmp_path, capsys):
    write_config(tmp_path, **FULL)
    push_image(aws)
    assert ship(Recorder(), "deploy") == 0
    sqs = aws("sqs")
    sqs.create_queue(QueueName="someone-elses-queue")
    aws("logs").create_log_group(logGroupName="/aws/lambda/someone-else")
    # Every secret ship made: the API key's, and the model provider's if it has one.
    secrets = [secret["Name"] for secret in aws("secretsmanager").list_secrets()["SecretList"]]
    assert f"{NAME}/api-key" in secrets

    assert ship(Recorder(), "destroy") == 1  # not a terminal and no --yes: refused
    assert "pass --yes" in capsys.readouterr().err
    assert ship(Recorder(), "destroy", "--yes") == 0

    lam = aws("lambda")
    assert lam.list_functions()["Functions"] == []
    assert lam.list_event_source_mappings()["EventSourceMappings"] == []
    assert [url.rsplit("/", 1)[-1] for url in sqs.list_queues()["QueueUrls"]] == ["someone-elses-queue"]
    assert aws("dynamodb").list_tables()["TableNames"] == []
    assert aws("events").list_rules()["Rules"] == []
    assert not [r for r in aws("iam").list_roles()["Roles"] if r["RoleName"].startswith(NAME)]
    assert aws("ecr").describe_repositories()["repositories"] == []
    groups = [g["logGroupName"] for g in aws("logs").describe_log_groups()["logGroups"]]
    assert groups == ["/aws/lambda/someone-else"]
    for secret in secrets:
        assert aws("secretsmanager").describe_secret(SecretId=secret)["DeletedDate"]
    assert aws("secretsmanager").list_secrets()["SecretList"] == []

    # A second destroy finds nothing; a new deploy restores the key rather than failing on its name.
    assert ship(Recorder(), "destroy", "--yes") == 0
    assert "deleted" not in capsys.readouterr().out.split("ship destroy")[-1]
    push_image(aws)
    assert ship(Recorder(), "deploy") == 0
    assert capsys.readouterr().out.count(" restored ") == len(secrets)


def test_a_same_named_resource_ship_did_not_create_is_left_alone(aws, tmp_path, capsys):
    write_config(tmp_path, **FULL)
    push_image(aws)
    aws("sqs").create_queue(QueueName=f"{NAME}-queue")
    assert ship(Recorder(), "deploy") == 1
    err = capsys.readouterr().err
    assert f"sqs queue {NAME}-queue exists but was not created by ship" in err
    assert ship(Recorder(), "destroy", "--yes") == 0
    assert "kept" in capsys.readouterr().out
    assert aws("sqs").get_queue_url(QueueName=f"{NAME}-queue")


def test_bad_input_gets_one_line_before_any_aws_call(aws, tmp_path, capsys):
    write_config(tmp_path)
    (tmp_path / "bad.env").write_text("GOOD=1\n# comment\nNOT A PAIR\n")
    recorder = Recorder()
    assert ship(recorder, "deploy", "--env-file", "bad.env") == 1
    assert capsys.readouterr().err == "error: bad.env line 3: expected KEY=VALUE\n"
    assert ship(recorder, "deploy", "--image", "nginx:latest") == 1
    assert "is not an ECR image URI" in capsys.readouterr().err
    assert ship(recorder, "deploy", "--memory", "64") == 1
    assert (
        capsys.readouterr().err
        == "error: command line: memory_mb must be a whole number from 128 to 10240; got 64\n"
    )
    with pytest.raises(SystemExit) as exited:
        ship(recorder, "deploy", "--memroy", "512")
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "unrecognized arguments: --memroy" in err
    assert recorder.calls == []


def test_missing_image_is_one_line(aws, tmp_path, capsys):
    write_config(tmp_path)
    assert ship(Recorder(), "deploy") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "no image to deploy" in err
    assert aws("lambda").list_functions()["Functions"] == []
    push_image(aws)
    uri = aws("ecr").describe_repositories()["repositories"][0]["repositoryUri"]
    assert ship(Recorder(), "deploy", "--image", f"{uri}:no-such-tag") == 1
    assert "is not in ECR; push it first" in capsys.readouterr().err


def test_missing_credentials_is_one_line(aws, tmp_path, capsys, environment):
    write_config(tmp_path)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        environment.delenv(name, raising=False)
    environment.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    environment.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    environment.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert main(["deploy"], poll_seconds=0) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("error: no AWS credentials found")


def test_status_and_logs(aws, tmp_path, capsys):
    write_config(tmp_path, **SIMPLE)
    push_image(aws)
    assert ship(Recorder(), "status") == 0
    assert "not deployed" in capsys.readouterr().out
    assert ship(Recorder(), "deploy") == 0
    assert ship(Recorder(), "status") == 0
    out = capsys.readouterr().out.split("ship status")[-1]
    assert "Active" in out
    assert f"{NAME}-queue" in out
    assert f"{NAME}-messages" in out
    logs = aws("logs")
    group = f"/aws/lambda/{NAME}{FUNCTIONS[0].suffix}"
    logs.create_log_stream(logGroupName=group, logStreamName="s")
    now = int(__import__("time").time() * 1000)
    logs.put_log_events(
        logGroupName=group, logStreamName="s", logEvents=[{"timestamp": now, "message": "hello log"}]
    )
    assert ship(Recorder(), "logs", "--since", "5m") == 0
    assert "hello log" in capsys.readouterr().out
    assert ship(Recorder(), "logs", "--since", "soon") == 1
    assert "--since 'soon'" in capsys.readouterr().err


def test_build_push_says_so_when_docker_is_missing(aws, tmp_path, capsys, environment):
    write_config(tmp_path)
    environment.setenv("PATH", str(tmp_path / "empty-bin"))
    assert ship(Recorder(), "build-push") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("error: docker is not installed")


def test_build_push_logs_in_builds_for_the_architecture_and_pushes(aws, tmp_path, capsys, environment):
    """docker itself cannot run here: a stand-in on PATH records the commands ship runs."""
    write_config(tmp_path)
    bin_dir, log = tmp_path / "bin", tmp_path / "docker.log"
    bin_dir.mkdir()
    docker = bin_dir / "docker"
    docker.write_text(f'#!/bin/sh\necho "$@" >> {log}\n[ "$1" = login ] && cat > /dev/null\nexit 0\n')
    docker.chmod(docker.stat().st_mode | stat.S_IEXEC)
    environment.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert ship(Recorder(), "build-push", "--tag", "t1") == 0
    uri = aws("ecr").describe_repositories(repositoryNames=[NAME])["repositories"][0]["repositoryUri"]
    platform = {"arm64": "linux/arm64", "x86_64": "linux/amd64"}[KIT["architecture"]]
    commands = log.read_text().splitlines()
    assert commands[0] == "info"
    assert commands[1].startswith("login --username AWS --password-stdin ")
    assert commands[2] == f"build --platform {platform} --provenance=false -t {uri}:t1 ."
    assert commands[3] == f"push {uri}:t1"
    assert f"pushed {uri}:t1" in capsys.readouterr().out


def test_allowed_origins_set_the_function_url_cors(aws, tmp_path):
    """The URL answers CORS itself, preflights included; the app behind it adds no headers."""
    write_config(tmp_path, **{**SIMPLE, "cors_allow_origins": ["https://app.example.com"]})
    push_image(aws)
    recorder = Recorder()
    assert ship(recorder, "deploy") == 0
    created = recorder.sent("CreateFunctionUrlConfig")
    assert created
    for sent in created:
        assert sent["Cors"]["AllowOrigins"] == ["https://app.example.com"]
        assert {"content-type", "authorization", "x-api-key"} <= set(sent["Cors"]["AllowHeaders"])
        stored = aws("lambda").get_function_url_config(FunctionName=sent["FunctionName"])
        assert stored["Cors"]["AllowOrigins"] == ["https://app.example.com"]
    write_config(tmp_path, **{**SIMPLE, "cors_allow_origins": []})
    recorder = Recorder()
    assert ship(recorder, "deploy") == 0
    updated = recorder.sent("UpdateFunctionUrlConfig")
    assert [sent["Cors"] for sent in updated] == [{}] * len(created), "turning CORS off clears it"


def test_without_a_queue_there_is_no_messages_table(aws, tmp_path):
    write_config(tmp_path, **{**SIMPLE, "sqs_worker": False})
    push_image(aws)
    assert ship(Recorder(), "deploy") == 0
    assert aws("dynamodb").list_tables()["TableNames"] == []
    policy = aws("iam").get_role_policy(RoleName=f"{NAME}-lambda", PolicyName="ship-least-privilege")
    actions = {a for statement in policy["PolicyDocument"]["Statement"] for a in statement["Action"]}
    assert not [action for action in actions if action.startswith("dynamodb:")]
    for function in aws("lambda").list_functions()["Functions"]:
        assert "MESSAGES_TABLE" not in function.get("Environment", {}).get("Variables", {})


def traces(aws) -> dict[str, tuple[str, str | None, bool]]:
    """Per function: its tracing mode, its OTEL_TRACES_EXPORTER, and whether its role may send traces."""
    lam, iam, found = aws("lambda"), aws("iam"), {}
    for function in lam.list_functions()["Functions"]:
        config = lam.get_function(FunctionName=function["FunctionName"])["Configuration"]
        role = config["Role"].rsplit("/", 1)[-1]
        policies = [
            iam.get_role_policy(RoleName=role, PolicyName=policy)["PolicyDocument"]
            for policy in iam.list_role_policies(RoleName=role)["PolicyNames"]
        ]
        statements = [statement for policy in policies for statement in policy["Statement"]]
        sends = [s for s in statements if any(action.startswith("xray:") for action in s["Action"])]
        assert sends in ([], [XRAY_STATEMENT])
        env = config["Environment"]["Variables"]
        found[function["FunctionName"]] = (
            config["TracingConfig"]["Mode"],
            env.get("OTEL_TRACES_EXPORTER"),
            bool(sends),
        )
    return found


XRAY_STATEMENT = {
    "Sid": "SendTraces",
    "Effect": "Allow",
    "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
    "Resource": "*",
}


def test_tracing_turns_x_ray_on_for_every_function_and_off_again(aws, tmp_path):
    write_config(tmp_path, **SIMPLE, tracing="active")
    push_image(aws)
    assert ship(Recorder(), "deploy") == 0
    functions = {NAME + spec.suffix for spec in FUNCTIONS} | set(part_functions())
    assert traces(aws) == dict.fromkeys(functions, ("Active", "xray", True))
    again = Recorder()
    assert ship(again, "deploy") == 0
    assert again.sent("UpdateFunctionConfiguration") == []

    write_config(tmp_path, **SIMPLE, tracing="disabled")
    off = Recorder()
    assert ship(off, "deploy") == 0
    assert traces(aws) == dict.fromkeys(functions, ("PassThrough", None, False))
    updated = {p["FunctionName"]: p["TracingConfig"] for p in off.sent("UpdateFunctionConfiguration")}
    assert updated == {name: {"Mode": "PassThrough"} for name in functions}
