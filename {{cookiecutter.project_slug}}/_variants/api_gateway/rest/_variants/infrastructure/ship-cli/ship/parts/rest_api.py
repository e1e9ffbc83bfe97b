"""The REST API in front of the HTTP function: API Gateway, created or updated in place.

The API (regional), its ``{proxy+}`` resource, an ``ANY`` method on the root and on the proxy
with a Lambda proxy integration, a deployment, the ``api`` stage with throttling and access
logs, and with an API key (``function_url_auth = NONE``) a usage plan and its key. The
integration streams (``responseTransferMode`` ``STREAM`` and the response-streaming URI)
when the function's URL streams. Every piece carries ship's tag or lives inside the API.
The API is made before the functions' permissions (front), which let it invoke the one it
fronts, and removed before the functions (remove_front).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from ..api_flavor import ENVIRONMENT
from ..aws import Aws, Identity, is_missing
from ..plan import TAG_KEY, FunctionSpec, Plan
from ..report import Report
from ..steps import Steps, tag_dict
from . import Choice, Whole

# ship.toml: none, or rest (the API), with its stage's requests per second, burst above it,
# and requests per day for the key (keyed APIs only).
SETTINGS = {
    "api_gateway": Choice("none", ("none", "rest")),
    "api_rate_limit": Whole(10, 1, 10_000),
    "api_burst_limit": Whole(20, 1, 5_000),
    "api_daily_quota": Whole(10_000, 1, 10**9),
}
STAGE = "api"
REST_API, USAGE_PLAN, API_KEY = "rest api", "usage plan", "api key"
METHOD = "ANY"
PROXY_PATH = "{proxy+}"
# A buffered REST integration stops at 29 s (a quota); a streaming one runs up to 15 minutes.
BUFFERED_LIMIT_MS = 29_000
ACCESS_LOG_FORMAT = json.dumps(
    {
        "requestId": "$context.requestId",
        "ip": "$context.identity.sourceIp",
        "method": "$context.httpMethod",
        "path": "$context.path",
        "status": "$context.status",
        "latencyMs": "$context.responseLatency",
        "apiKeyId": "$context.identity.apiKeyId",
        "error": "$context.integrationErrorMessage",
    },
    separators=(",", ":"),
)


@dataclass
class ApiOutcome:
    api_id: str
    url: str
    function: str  # the function it fronts
    source_arn: str  # what the function's permission lets invoke it
    key_id: str = ""

    def lines(self) -> list[str]:
        """What deploy prints about the API."""
        shown = [f"rest api url: {self.url}"]
        if self.key_id:
            command = f"aws apigateway get-api-key --include-value --api-key {self.key_id}"
            shown += [f"api key id: {self.key_id}", f"  read the key: {command}"]
        return shown


def wanted(plan: Plan) -> bool:
    return plan.config.extra["api_gateway"] == "rest"


def usage_plan_name(plan: Plan) -> str:
    return f"{plan.name}-usage"


def api_key_name(plan: Plan) -> str:
    return f"{plan.name}-key"


def access_log_group(plan: Plan) -> str:
    return f"/aws/apigateway/{plan.name}-access"


def fronted(plan: Plan) -> FunctionSpec | None:
    """The function the REST API fronts: the one with the Function URL."""
    if not wanted(plan):
        return None
    return next(spec for spec in plan.functions if spec.url_invoke_mode)


def function_names(plan: Plan) -> list[str]:
    return []


def environment(plan: Plan, identity: Identity) -> dict[str, str]:
    return {}


def fixed_environment(plan: Plan, spec: FunctionSpec) -> dict[str, str]:
    """What the fronted function must know about the API in front of it."""
    return dict(ENVIRONMENT) if spec is fronted(plan) else {}


def front(steps: Steps, arns: Mapping[str, str]) -> ApiOutcome | None:
    spec = fronted(steps.plan)
    if spec is None:
        return None
    streams = spec.url_invoke_mode != "BUFFERED"
    return RestApiSteps(steps).deploy(steps.plan.function_name(spec), arns, streams)


def deploy(steps: Steps, image: str | None, user_env: Mapping[str, str], managed: Mapping[str, str]) -> None:
    """Everything was made by front."""


def status(aws: Aws, plan: Plan, report: Report) -> None:
    if not wanted(plan):
        return
    api = owned(find_named(aws.client("apigateway"), REST_API, plan.name), plan.name)
    if api is None:
        report.step("rest api", plan.name, "missing")
    else:
        url = f"https://{api['id']}.execute-api.{plan.config.region}.amazonaws.com/{STAGE}/"
        report.step("rest api", url, "exists")


def remove_front(gone: Any) -> None:
    """The usage plan and key first (a plan holds the API's stage), then the API and its stage."""
    if not wanted(gone.plan):
        return
    plan, client = gone.plan, gone.aws.client("apigateway")
    removals = (
        (USAGE_PLAN, usage_plan_name(plan), lambda item: delete_usage_plan(client, item["id"])),
        (API_KEY, api_key_name(plan), lambda item: client.delete_api_key(apiKey=item["id"])),
        (REST_API, plan.name, lambda item: client.delete_rest_api(restApiId=item["id"])),
    )
    for kind, name, delete in removals:
        found = find_named(client, kind, name)
        ours = owned(found, plan.name)
        if ours is not None:
            delete(ours)
            gone.report.step(kind, name, "deleted")
        elif found:
            gone.report.step(kind, name, "kept", f"no tag {TAG_KEY}={plan.name}: not created by ship")
        else:
            gone.report.step(kind, name, "absent")
    gone.named_log_group(access_log_group(plan))


def destroy(gone: Any) -> None:
    """Everything went in remove_front."""


def integration_uri(partition: str, region: str, function_arn: str, streams: bool) -> str:
    if streams:
        path = f"2021-11-15/functions/{function_arn}/response-streaming-invocations"
    else:
        path = f"2015-03-31/functions/{function_arn}/invocations"
    return f"arn:{partition}:apigateway:{region}:lambda:path/{path}"


class RestApiSteps:
    def __init__(self, steps: Steps):
        self.steps, self.plan, self.report = steps, steps.plan, steps.report
        self.client = steps.aws.client("apigateway")

    @property
    def keyed(self) -> bool:
        """Callers present an API key (a public URL's kit); else they sign with SigV4."""
        return self.plan.config.function_url_auth == "NONE"

    def find(self, kind: str, name: str) -> dict | None:
        """Ship's resource of this kind and name; a same-named one without ship's tag stops the deploy."""
        found = find_named(self.client, kind, name)
        ours = owned(found, self.plan.name)
        if found and ours is None:
            self.steps.check_owner(kind, name, found[0].get("tags", {}))
        return ours

    def deploy(self, function: str, arns: Mapping[str, str], streams: bool) -> ApiOutcome:
        config, identity = self.plan.config, self.steps.identity
        function_arn = arns[function]
        api = self.find(REST_API, self.plan.name)
        if api is None:
            api = self.client.create_rest_api(
                name=self.plan.name,
                description=f"REST API in front of {self.plan.name}, managed by ship",
                endpointConfiguration={"types": ["REGIONAL"]},
                tags=self.plan.tags,
            )
            self.report.step("rest api", self.plan.name, "created", "regional")
        else:
            self.report.step("rest api", self.plan.name, "unchanged")
        api_id = api["id"]
        timeout_ms = config.timeout_s * 1000 if streams else min(config.timeout_s * 1000, BUFFERED_LIMIT_MS)
        wanted = {
            "type": "AWS_PROXY",
            "httpMethod": "POST",
            "uri": integration_uri(identity.partition, config.region, function_arn, streams),
            "timeoutInMillis": timeout_ms,
            "responseTransferMode": "STREAM" if streams else "BUFFERED",
        }
        changed = False
        for path, resource_id in self.resources(api_id).items():
            changed |= self.method(api_id, resource_id, path, wanted)
        self.steps.named_log_group(access_log_group(self.plan))
        self.stage(api_id, changed)
        key_id = self.usage_plan(api_id) if self.keyed else self.remove_usage_plan()
        suffix = "amazonaws.com.cn" if identity.partition == "aws-cn" else "amazonaws.com"
        return ApiOutcome(
            api_id=api_id,
            function=function,
            url=f"https://{api_id}.execute-api.{config.region}.{suffix}/{STAGE}/",
            source_arn=f"arn:{identity.partition}:execute-api:{config.region}:{identity.account}:{api_id}/*",
            key_id=key_id,
        )

    def resources(self, api_id: str) -> dict[str, str]:
        """The root and ``/{proxy+}`` resources' ids, the proxy created if missing."""
        items = self.client.get_resources(restApiId=api_id, limit=500)["items"]
        by_path = {item["path"]: item["id"] for item in items}
        proxy = f"/{PROXY_PATH}"
        if proxy not in by_path:
            by_path[proxy] = self.client.create_resource(
                restApiId=api_id, parentId=by_path["/"], pathPart=PROXY_PATH
            )["id"]
            self.report.step("api resource", proxy, "created")
        return {"/": by_path["/"], proxy: by_path[proxy]}

    def method(self, api_id: str, resource_id: str, path: str, integration: dict[str, Any]) -> bool:
        """The ANY method and its integration; True when either was created or changed."""
        label = f"{METHOD} {path}"
        auth = {"authorizationType": "NONE" if self.keyed else "AWS_IAM", "apiKeyRequired": self.keyed}
        where = {"restApiId": api_id, "resourceId": resource_id, "httpMethod": METHOD}
        try:
            current = self.client.get_method(**where)
        except ClientError as error:
            if not is_missing(error, "NotFoundException"):
                raise
            current = None
        if current is not None and any(current.get(key) != value for key, value in auth.items()):
            # Auth changes rarely; replacing the method is simpler than patching it.
            self.client.delete_method(**where)
            current = None
        created = current is None
        if created:
            self.client.put_method(**where, **auth)
        now = (current or {}).get("methodIntegration") or {}
        differs = [
            key
            for key, value in integration.items()
            if (now.get(key, "BUFFERED") if key == "responseTransferMode" else now.get(key)) != value
        ]
        if differs:
            self.client.put_integration(
                **where,
                type=integration["type"],
                integrationHttpMethod=integration["httpMethod"],
                uri=integration["uri"],
                timeoutInMillis=integration["timeoutInMillis"],
                responseTransferMode=integration["responseTransferMode"],
            )
        detail = f"{auth['authorizationType']}, {integration['responseTransferMode']}"
        if created:
            self.report.step("api method", label, "created", detail)
        else:
            self.report.step("api method", label, "updated" if differs else "unchanged", ", ".join(differs))
        return created or bool(differs)

    def stage(self, api_id: str, changed: bool) -> None:
        """Deploy when the methods changed (or nothing is deployed), then the stage's settings."""
        settings, logs_arn = self.plan.config.extra, self.steps.log_group_arn(access_log_group(self.plan))
        try:
            current = self.client.get_stage(restApiId=api_id, stageName=STAGE)
        except ClientError as error:
            if not is_missing(error, "NotFoundException"):
                raise
            current = None
        wanted = {
            "/*/*/throttling/rateLimit": str(settings["api_rate_limit"]),
            "/*/*/throttling/burstLimit": str(settings["api_burst_limit"]),
            "/accessLogSettings/destinationArn": logs_arn,
            "/accessLogSettings/format": ACCESS_LOG_FORMAT,
        }
        if current is None:
            deployment = self.client.create_deployment(restApiId=api_id, description="ship deploy")["id"]
            self.client.create_stage(
                restApiId=api_id, stageName=STAGE, deploymentId=deployment, tags=self.plan.tags
            )
            current = {}
            action = "created"
        else:
            action = "unchanged"
        operations = []
        if changed and action == "unchanged":
            deployment = self.client.create_deployment(restApiId=api_id, description="ship deploy")["id"]
            operations.append({"op": "replace", "path": "/deploymentId", "value": deployment})
        method = (current.get("methodSettings") or {}).get("*/*", {})
        access = current.get("accessLogSettings") or {}
        now = {
            "/*/*/throttling/rateLimit": _number(method.get("throttlingRateLimit")),
            "/*/*/throttling/burstLimit": _number(method.get("throttlingBurstLimit")),
            "/accessLogSettings/destinationArn": access.get("destinationArn"),
            "/accessLogSettings/format": access.get("format"),
        }
        operations += [
            {"op": "replace", "path": path, "value": value}
            for path, value in wanted.items()
            if now[path] != value
        ]
        if operations:
            self.client.update_stage(restApiId=api_id, stageName=STAGE, patchOperations=operations)
            action = "updated" if action == "unchanged" else action
        detail = ", ".join(op["path"].rsplit("/", 1)[-1] for op in operations) if action == "updated" else ""
        self.report.step("api stage", f"{self.plan.name}/{STAGE}", action, detail)

    def usage_plan(self, api_id: str) -> str:
        """The usage plan (throttle, daily quota) for the stage, and its one API key; the key's id."""
        settings, name = self.plan.config.extra, usage_plan_name(self.plan)
        wanted_throttle = {
            "rateLimit": float(settings["api_rate_limit"]),
            "burstLimit": settings["api_burst_limit"],
        }
        wanted_quota = {"limit": settings["api_daily_quota"], "period": "DAY"}
        plan = self.find(USAGE_PLAN, name)
        if plan is None:
            plan = self.client.create_usage_plan(
                name=name,
                description=f"Throttle and daily quota of {self.plan.name}'s API key",
                apiStages=[{"apiId": api_id, "stage": STAGE}],
                throttle=wanted_throttle,
                quota=wanted_quota,
                tags=self.plan.tags,
            )
            self.report.step("usage plan", name, "created")
        else:
            throttle, quota = plan.get("throttle") or {}, plan.get("quota") or {}
            current = {
                "/throttle/rateLimit": float(throttle.get("rateLimit", 0)) == wanted_throttle["rateLimit"],
                "/throttle/burstLimit": int(throttle.get("burstLimit", 0)) == settings["api_burst_limit"],
                "/quota/limit": int(quota.get("limit", 0)) == settings["api_daily_quota"],
            }
            values = {
                "/throttle/rateLimit": settings["api_rate_limit"],
                "/throttle/burstLimit": settings["api_burst_limit"],
                "/quota/limit": settings["api_daily_quota"],
            }
            operations = [
                {"op": "replace", "path": path, "value": str(values[path])}
                for path, same in current.items()
                if not same
            ]
            if {"apiId": api_id, "stage": STAGE} not in [
                {"apiId": s.get("apiId"), "stage": s.get("stage")} for s in plan.get("apiStages", [])
            ]:
                operations.append({"op": "add", "path": "/apiStages", "value": f"{api_id}:{STAGE}"})
            if operations:
                self.client.update_usage_plan(usagePlanId=plan["id"], patchOperations=operations)
            detail = ", ".join(op["path"].strip("/") for op in operations)
            self.report.step("usage plan", name, "updated" if operations else "unchanged", detail)
        key = self.find(API_KEY, api_key_name(self.plan))
        if key is None:
            key = self.client.create_api_key(
                name=api_key_name(self.plan),
                description=f"Callers of {self.plan.name} send it in x-api-key",
                enabled=True,
                tags=self.plan.tags,
            )
            self.report.step("api key", api_key_name(self.plan), "created")
        else:
            self.report.step("api key", api_key_name(self.plan), "unchanged")
        linked = self.client.get_usage_plan_keys(usagePlanId=plan["id"]).get("items", [])
        if key["id"] not in [item["id"] for item in linked]:
            self.client.create_usage_plan_key(usagePlanId=plan["id"], keyId=key["id"], keyType="API_KEY")
            self.report.step("usage plan key", f"{name} <- {api_key_name(self.plan)}", "created")
        return key["id"]

    def remove_usage_plan(self) -> str:
        """With SigV4 callers there is no key: a plan and key left from a keyed deploy go."""
        plan, key = (
            self.find(USAGE_PLAN, usage_plan_name(self.plan)),
            self.find(API_KEY, api_key_name(self.plan)),
        )
        if plan is not None:
            delete_usage_plan(self.client, plan["id"])
            self.report.step("usage plan", usage_plan_name(self.plan), "deleted", "callers sign with SigV4")
        if key is not None:
            self.client.delete_api_key(apiKey=key["id"])
            self.report.step("api key", api_key_name(self.plan), "deleted", "callers sign with SigV4")
        return ""


def find_named(client: Any, kind: str, name: str) -> list[dict]:
    """Every API Gateway resource of this kind with this name (names are not unique there)."""
    if kind == REST_API:
        items = [
            api for page in client.get_paginator("get_rest_apis").paginate() for api in page.get("items", [])
        ]
    elif kind == USAGE_PLAN:
        items = [
            plan
            for page in client.get_paginator("get_usage_plans").paginate()
            for plan in page.get("items", [])
        ]
    else:
        items = client.get_api_keys(nameQuery=name).get("items", [])
    return [item for item in items if item.get("name") == name]


def owned(items: list[dict], app: str) -> dict | None:
    return next((item for item in items if tag_dict(item.get("tags", {})).get(TAG_KEY) == app), None)


def delete_usage_plan(client: Any, plan_id: str) -> None:
    """A usage plan goes once its keys and stages are detached."""
    for item in client.get_usage_plan_keys(usagePlanId=plan_id).get("items", []):
        client.delete_usage_plan_key(usagePlanId=plan_id, keyId=item["id"])
    plan = client.get_usage_plan(usagePlanId=plan_id)
    stages = [f"{s['apiId']}:{s['stage']}" for s in plan.get("apiStages", [])]
    if stages:
        client.update_usage_plan(
            usagePlanId=plan_id,
            patchOperations=[{"op": "remove", "path": "/apiStages", "value": s} for s in stages],
        )
    client.delete_usage_plan(usagePlanId=plan_id)


def _number(value: Any) -> str | None:
    """A stage setting as update_stage takes it ("10", not 10.0)."""
    if value is None:
        return None
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number)
