"""ship deploys the runs function: a durable function from the same image, its own role, the
``live`` alias, and exactly the permissions runs need. moto has no durable-execution API and
drops DurableConfig, so the parameters ship sends are recorded and asserted (ship_moto)."""

import pytest
from ship_moto import KIT, NAME, deploy_kit, shared_deployment, shared_server, write_config

from ship.runs_image import COMMAND, ENVIRONMENT

RUNS = f"{NAME}-runs"


@pytest.fixture(scope="module")
def deployed():
    return shared_deployment()


def executions(deployed, name=RUNS):
    account = deployed.client("sts").get_caller_identity()["Account"]
    return f"arn:aws:lambda:{KIT['region']}:{account}:function:{name}:*"


def test_the_runs_function_is_durable_from_the_same_image(deployed):
    created = {p["FunctionName"]: p for p in deployed.first.recorder.sent("CreateFunction")}
    runs = created.pop(RUNS)
    assert runs["DurableConfig"] == {
        "ExecutionTimeout": KIT["runs_execution_timeout_s"],
        "RetentionPeriodInDays": KIT["runs_retention_days"],
    }
    assert {runs["Code"]["ImageUri"]} == {p["Code"]["ImageUri"] for p in created.values()}
    assert runs.get("ImageConfig", {}).get("Command", []) == list(COMMAND)
    env = runs["Environment"]["Variables"]
    assert env["RUNS_APPROVAL_TIMEOUT_S"] == str(KIT["runs_approval_timeout_s"])
    assert ENVIRONMENT.items() <= env.items()
    assert "RUNS_FUNCTION_ARN" not in env
    assert "SEND_MESSAGE_TO_RUNS" not in env
    role = deployed.client("iam").get_role(RoleName=RUNS)["Role"]
    assert runs["Role"] == role["Arn"]


def test_the_agent_starts_runs_through_the_alias(deployed):
    lam = deployed.client("lambda")
    [published] = deployed.first.recorder.sent("PublishVersion")
    assert published == {"FunctionName": RUNS}
    alias = lam.get_alias(FunctionName=RUNS, Name="live")
    [created] = deployed.first.recorder.sent("CreateAlias")
    assert created["FunctionVersion"] == alias["FunctionVersion"] != "$LATEST"
    env = lam.get_function_configuration(FunctionName=NAME)["Environment"]["Variables"]
    assert env["RUNS_FUNCTION_ARN"] == alias["AliasArn"]
    assert env["SEND_MESSAGE_TO_RUNS"] == "false"  # ship.toml's send_message_to_runs


def test_the_roles_allow_what_runs_need_and_nothing_more(deployed):
    iam = deployed.client("iam")
    own = iam.get_role_policy(RoleName=RUNS, PolicyName="ship-least-privilege")["PolicyDocument"]
    durable = [s for s in own["Statement"] if s["Sid"] == "CheckpointOwnRuns"]
    assert durable == [
        {
            "Sid": "CheckpointOwnRuns",
            "Effect": "Allow",
            "Action": ["lambda:CheckpointDurableExecution", "lambda:GetDurableExecutionState"],
            "Resource": executions(deployed),
        }
    ]
    assert not [a for s in own["Statement"] for a in s["Action"] if "*" in a]
    assert not [s for s in own["Statement"] if "sqs:SendMessage" in s["Action"]]
    alias = deployed.client("lambda").get_alias(FunctionName=RUNS, Name="live")["AliasArn"]
    starts = iam.get_role_policy(RoleName=f"{NAME}-lambda", PolicyName="ship-runs")["PolicyDocument"]
    assert starts["Statement"] == [
        {"Sid": "StartRuns", "Effect": "Allow", "Action": ["lambda:InvokeFunction"], "Resource": alias},
        {
            "Sid": "ReadAndAnswerRuns",
            "Effect": "Allow",
            "Action": [
                "lambda:GetDurableExecution",
                "lambda:GetDurableExecutionHistory",
                "lambda:SendDurableExecutionCallbackSuccess",
                "lambda:SendDurableExecutionCallbackFailure",
            ],
            "Resource": executions(deployed),
        },
    ]


def test_a_second_deploy_publishes_nothing(deployed):
    assert deployed.second.recorder.sent("PublishVersion") == []
    assert "alias" in deployed.second.out and "unchanged" in deployed.second.out


def test_a_changed_limit_updates_the_function_and_moves_the_alias():
    name = f"{NAME[:30]}-limits"
    kit = deploy_kit(shared_server(), name, api_key_source="none", function_url_auth="AWS_IAM")
    write_config(
        kit.folder, name=name, api_key_source="none", function_url_auth="AWS_IAM", runs_retention_days=30
    )
    changed = kit.run("deploy")
    assert changed.code == 0, changed.err
    [update] = changed.recorder.sent("UpdateFunctionConfiguration")
    assert update["FunctionName"] == f"{name}-runs"
    assert update["DurableConfig"]["RetentionPeriodInDays"] == 30
    [moved] = changed.recorder.sent("UpdateAlias")
    [published] = changed.recorder.sent("PublishVersion")
    lam = kit.client("lambda")
    assert (
        moved["FunctionVersion"] == lam.get_alias(FunctionName=f"{name}-runs", Name="live")["FunctionVersion"]
    )
    assert published == {"FunctionName": f"{name}-runs"}


def test_a_bad_limit_is_one_line_before_any_aws_call(tmp_path):
    from ship.config import load
    from ship.errors import ShipError

    write_config(tmp_path, runs_retention_days=91)
    with pytest.raises(ShipError, match="runs_retention_days must be a whole number from 1 to 90"):
        load(tmp_path / "ship.toml")


def test_send_message_to_runs_in_ship_toml_must_be_true_or_false(tmp_path):
    from ship.config import load
    from ship.errors import ShipError

    write_config(tmp_path, send_message_to_runs="yes")
    with pytest.raises(ShipError, match="send_message_to_runs must be true or false; got 'yes'"):
        load(tmp_path / "ship.toml")
    write_config(tmp_path, send_message_to_runs=True)
    assert load(tmp_path / "ship.toml").extra["send_message_to_runs"] is True
