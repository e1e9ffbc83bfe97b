"""Least-privilege expectations for the stack's IAM policies, written once.

The tests hand over CloudFormation as it will be deployed: every function's role with its
statements, and the ARNs those statements build. ``CloudFormation.text`` spells an ARN as
plain text (``Fn::Sub``, ``Fn::Join`` and ``Ref`` resolved from the values given, other
references left as ``${Name}``), so an expectation reads like
``arn:${AWS::Partition}:ssm:eu-west-1:${AWS::AccountId}:parameter/my-agent/api-key``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

# The actions of one Allow statement and the resource they are allowed on, as text.
Grant = tuple[tuple[str, ...], str]
PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")


def placeholder(name: str) -> str:
    """``${name}``: how a text ARN spells a reference it does not resolve."""
    return "${" + name + "}"


class CloudFormation:
    """A deployed template; ``values`` says what a ``${Name}`` or ``Ref`` stands for, and
    holds at least the stack's region as ``AWS::Region``."""

    def __init__(self, template: Mapping[str, Any], values: Mapping[str, str]) -> None:
        self.template = template
        self.values = values

    def of_type(self, kind: str) -> dict[str, dict]:
        """The resources of this type the stack creates (a false ``Condition`` leaves one out)."""
        resources = self.template["Resources"].items()
        return {
            name: r.get("Properties", {})
            for name, r in resources
            if r["Type"] == kind and self.holds(r.get("Condition"))
        }

    def holds(self, condition: Any) -> bool:
        """Whether a condition (by name, or written out) is true with these values."""
        if condition is None:
            return True
        if isinstance(condition, str):
            return self.holds(self.template["Conditions"][condition])
        [(function, arguments)] = condition.items()
        if function == "Fn::Equals":
            left, right = (self.text(self.chosen(argument)) for argument in arguments)
            return left == right
        if function == "Fn::Not":
            return not self.holds(arguments[0])
        if function == "Fn::And":
            return all(map(self.holds, arguments))
        if function == "Fn::Or":
            return any(map(self.holds, arguments))
        if function == "Condition":
            return self.holds(arguments)
        raise AssertionError(f"a condition this check cannot read: {condition!r}")

    def chosen(self, value: Any) -> Any:
        """The value with each ``Fn::If`` replaced by its chosen branch (None for AWS::NoValue)."""
        if isinstance(value, dict) and "Fn::If" in value:
            condition, when_true, when_false = value["Fn::If"]
            return self.chosen(when_true if self.holds(condition) else when_false)
        return None if value == {"Ref": "AWS::NoValue"} else value

    @property
    def functions(self) -> dict[str, dict]:
        return self.of_type("AWS::Lambda::Function")

    def url_function(self) -> str:
        """The logical ID of the function behind the Function URL."""
        [url] = self.of_type("AWS::Lambda::Url").values()
        return reference(url["TargetFunctionArn"])

    def environment(self, function: str) -> dict[str, str]:
        variables = self.functions[function]["Environment"]["Variables"]
        chosen = {name: self.chosen(value) for name, value in variables.items()}
        return {name: self.text(value) for name, value in chosen.items() if value is not None}

    def text(self, value: Any) -> str:
        if isinstance(value, list):
            return ",".join(self.text(item) for item in value)
        if isinstance(value, str):
            return PLACEHOLDER.sub(lambda m: self.values.get(m[1], m[0]), value)
        if "Fn::Sub" in value:
            return self.text(value["Fn::Sub"])
        if "Fn::Join" in value:
            separator, parts = value["Fn::Join"]
            return separator.join(self.text(part) for part in parts)
        if "Ref" in value:
            return self.text(placeholder(value["Ref"]))
        if "Fn::GetAtt" in value:
            return placeholder(".".join(value["Fn::GetAtt"]))
        raise AssertionError(f"an ARN this check cannot read: {value!r}")

    def statements(self) -> Iterator[dict]:
        """Every statement of every policy document in the template."""
        for resource in self.template["Resources"].values():
            if not self.holds(resource.get("Condition")):
                continue
            properties = resource.get("Properties", {})
            documents = [properties.get("PolicyDocument")]
            documents += [policy["PolicyDocument"] for policy in properties.get("Policies", [])]
            for document in filter(None, documents):
                yield from document["Statement"]

    def allowed(self, function: str) -> list[Grant]:
        """What a function's role may do: its inline policies and the policies attached to it."""
        role = reference(self.functions[function]["Role"])
        properties = self.template["Resources"][role]["Properties"]
        documents = [policy["PolicyDocument"] for policy in properties.get("Policies", [])]
        documents += [
            policy["PolicyDocument"]
            for policy in self.of_type("AWS::IAM::Policy").values()
            if {"Ref": role} in policy["Roles"]
        ]
        return [
            (tuple(actions_of(statement)), self.text(statement["Resource"]))
            for document in documents
            for statement in document["Statement"]
            if statement["Effect"] == "Allow"
        ]

    def granted(self, about: Callable[[Grant], bool]) -> dict[str, list[Grant]]:
        """Per function, its grants this is about (functions without one left out), sorted."""
        found = {name: sorted(filter(about, self.allowed(name))) for name in self.functions}
        return {name: grants for name, grants in found.items() if grants}

    def allow_count(self, about: Callable[[Grant], bool]) -> int:
        """How many Allow statements anywhere in the template this is about."""
        return sum(
            1
            for statement in self.statements()
            if statement["Effect"] == "Allow"
            and about((tuple(actions_of(statement)), self.text(statement["Resource"])))
        )

    def arn(self, service: str, resource: str, *, account: str = placeholder("AWS::AccountId")) -> str:
        """An ARN in the stack's region (``values["AWS::Region"]``), as the template spells it."""
        partition = placeholder("AWS::Partition")
        return f"arn:{partition}:{service}:{self.values['AWS::Region']}:{account}:{resource}"


def reference(value: Any) -> str:
    """The logical ID a Ref or Fn::GetAtt points at."""
    return value["Ref"] if "Ref" in value else value["Fn::GetAtt"][0]


def actions_of(statement: Mapping[str, Any]) -> list[str]:
    actions = statement.get("Action", [])
    return actions if isinstance(actions, list) else [actions]


def acts_on(prefix: str) -> Callable[[Grant], bool]:
    return lambda grant: any(action.startswith(prefix) for action in grant[0])


def names(resource: str) -> Callable[[Grant], bool]:
    return lambda grant: grant[1] == resource


def assert_granted(cfn: CloudFormation, about: Callable[[Grant], bool], expected: dict[str, list[Grant]]):
    """Exactly these functions hold grants this is about, exactly these, and no other policy does."""
    assert cfn.granted(about) == {name: sorted(grants) for name, grants in expected.items()}
    assert cfn.allow_count(about) == sum(map(len, expected.values())), "a statement outside the roles"


def assert_no_wildcard_action(cfn: CloudFormation) -> None:
    """A kit with nothing to call (no queue, key, model or table) may hold no statement at all."""
    assert cfn.functions, "the template was read"
    for statement in (s for s in cfn.statements() if s["Effect"] == "Allow"):
        assert not [action for action in actions_of(statement) if "*" in action], statement


def the_queue(cfn: CloudFormation) -> str | None:
    """The queue the URL function may send to (the one that redrives to a dead-letter queue)."""
    queues = [name for name, queue in cfn.of_type("AWS::SQS::Queue").items() if "RedrivePolicy" in queue]
    assert len(queues) <= 1
    return queues[0] if queues else None


def assert_only_the_url_function_may_queue(cfn: CloudFormation) -> None:
    """sqs:SendMessage alone, on the one queue, for the URL function only (none without a queue)."""
    queue = the_queue(cfn)
    expected = {cfn.url_function(): [(("sqs:SendMessage",), placeholder(f"{queue}.Arn"))]} if queue else {}
    assert_granted(cfn, acts_on("sqs:Send"), expected)


def assert_api_key_access(cfn: CloudFormation, source: str, parameter: str = "") -> None:
    """The URL function alone may read the API key, with the one action its source needs."""
    url = cfn.url_function()
    variables = cfn.environment(url)
    assert variables["API_KEY_SOURCE"] == source
    secrets = cfn.of_type("AWS::SecretsManager::Secret")
    generated = [name for name, secret in secrets.items() if "GenerateSecretString" in secret]
    reads_parameters = acts_on("ssm:")
    if source == "secretsmanager":
        [secret] = generated
        assert secrets[secret]["GenerateSecretString"]["PasswordLength"] == 40
        key = placeholder(secret)
        assert variables["API_KEY_SECRET_ID"] == key
        assert_granted(cfn, names(key), {url: [(("secretsmanager:GetSecretValue",), key)]})
        assert_granted(cfn, reads_parameters, {})
    elif source == "ssm":
        assert variables["API_KEY_PARAMETER"] == parameter
        key = cfn.arn("ssm", f"parameter{parameter}")
        assert_granted(cfn, reads_parameters, {url: [(("ssm:GetParameter",), key)]})
        assert generated == []
    else:
        assert not {"API_KEY_SECRET_ID", "API_KEY_PARAMETER"} & set(variables)
        assert_granted(cfn, reads_parameters, {})
        assert generated == []


def assert_every_function_alone_holds(
    cfn: CloudFormation, grant: Grant, about: Callable[[Grant], bool]
) -> None:
    """Every function runs the agent, so each holds this grant once; no other grant is about it."""
    assert cfn.functions
    assert_granted(cfn, about, {name: [grant] for name in cfn.functions})


def the_table(cfn: CloudFormation) -> str | None:
    """The message store's table, when the stack has one."""
    tables = list(cfn.of_type("AWS::DynamoDB::Table"))
    assert len(tables) <= 1
    return tables[0] if tables else None


def queue_function(cfn: CloudFormation) -> str:
    """The logical ID of the function the queue's event source mapping invokes."""
    [mapping] = cfn.of_type("AWS::Lambda::EventSourceMapping").values()
    return reference(mapping["FunctionName"])


def assert_messages_table_access(cfn: CloudFormation) -> None:
    """With a queue: one on-demand table keyed by response_uuid with TTL on expires_at, named to
    the URL and queue functions, which alone may use it: GetItem and PutItem to record and read
    messages, GetItem and UpdateItem to claim and answer them. Without a queue: no table."""
    table = the_table(cfn)
    if the_queue(cfn) is None:
        assert table is None
        assert cfn.granted(acts_on("dynamodb:")) == {}
        return
    assert table is not None
    properties = cfn.of_type("AWS::DynamoDB::Table")[table]
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["KeySchema"] == [{"AttributeName": "response_uuid", "KeyType": "HASH"}]
    assert properties["AttributeDefinitions"] == [{"AttributeName": "response_uuid", "AttributeType": "S"}]
    assert properties["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    url, worker = cfn.url_function(), queue_function(cfn)
    wanted = {url: {"dynamodb:GetItem", "dynamodb:PutItem"}}
    wanted[worker] = wanted.get(worker, set()) | {"dynamodb:GetItem", "dynamodb:UpdateItem"}
    arn = placeholder(f"{table}.Arn")
    granted = cfn.granted(acts_on("dynamodb:"))
    resources = {name: {resource for _, resource in grants} for name, grants in granted.items()}
    assert resources == {name: {arn} for name in wanted}
    actions = {name: {a for actions, _ in grants for a in actions} for name, grants in granted.items()}
    assert actions == wanted
    for name in wanted:
        assert cfn.environment(name)["MESSAGES_TABLE"] == placeholder(table)
    others = set(cfn.functions) - set(wanted)
    assert not [name for name in others if "MESSAGES_TABLE" in cfn.environment(name)]


# What a function's role needs to send traces; X-Ray names no resource in them, so "*".
XRAY_GRANT: Grant = (("xray:PutTraceSegments", "xray:PutTelemetryRecords"), "*")
# The managed policy a template may attach to the roles it makes for a traced function: the two
# actions above and X-Ray's read-only sampling rules (no trace can be read with it).
XRAY_MANAGED_POLICY = "/AWSXrayWriteOnlyAccess"


def may_send_traces(cfn: CloudFormation, function: str) -> bool:
    role = cfn.template["Resources"][reference(cfn.functions[function]["Role"])]
    managed = [cfn.text(arn) for arn in role["Properties"].get("ManagedPolicyArns", [])]
    return XRAY_GRANT in cfn.allowed(function) or any(arn.endswith(XRAY_MANAGED_POLICY) for arn in managed)


def assert_tracing(cfn: CloudFormation, active: bool) -> None:
    """Active: every function traced by X-Ray, told to send the agent's spans there (the kit's
    OTEL_TRACES_EXPORTER=xray) and allowed to. Off: no tracing, no variable, no grant."""
    assert cfn.functions
    for name, function in cfn.functions.items():
        mode = cfn.text(function.get("TracingConfig", {}).get("Mode", "PassThrough"))
        assert mode == ("Active" if active else "PassThrough"), name
        assert cfn.environment(name).get("OTEL_TRACES_EXPORTER") == ("xray" if active else None), name
        assert may_send_traces(cfn, name) is active, name
    if not active:
        assert cfn.allow_count(acts_on("xray:")) == 0
