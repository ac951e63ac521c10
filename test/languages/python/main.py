"""The app of test/languages in Python: the same as typescript/main.ts, which its output must equal byte for byte.

Run from a directory of its own; it writes out/.
    python main.py          writes out/migrations (every stage) and out/dist (app.synth), prints the stages
    python main.py error    prints the error a wrong prop raises, as Python sees it
"""
import sys

from cdk8s import ApiObject, ApiObjectMetadata, App, Chart
from cdk8s_inference_migration import (
    EndpointPickerOptions,
    EnvVar,
    EnvVarSource,
    ExistingInferencePoolAlphaProps,
    GaPoolOptions,
    GatewayParentRef,
    GitOpsWriter,
    ImagePullPolicy,
    InferencePoolAlphaProps,
    ObjectiveOptions,
    ResourceRequirements,
    SecretKeySelector,
    ZeroDowntimeMigration,
)


def quick_start() -> None:
    """The README's quick start: every stage of the migration as GitOps folders."""
    app = App()
    ZeroDowntimeMigration(
        app,
        "vllm-llama3-8b-instruct",
        alpha_pool=InferencePoolAlphaProps(
            existing=ExistingInferencePoolAlphaProps(
                name="vllm-llama3-8b-instruct-alpha",
                model_server_selector={"app": "vllm-llama3-8b-instruct"},
                target_port=8000,
            ),
        ),
        ga_pool=GaPoolOptions(name="vllm-llama3-8b-instruct-ga"),
        objectives=[
            ObjectiveOptions(name="food-review", priority=1),
            ObjectiveOptions(name="base-model", priority=2),
        ],
        gateway=GatewayParentRef(name="inference-gateway"),
        route_name="llm-route",
        steps=[10, 50],
    )
    GitOpsWriter(outdir="out/migrations", validate=True).write_all(app)


def composition(steps: list) -> ZeroDowntimeMigration:
    """A larger app: a chart of its own, and the migration's selected stage in a namespaced chart."""
    app = App(outdir="out/dist")
    web = Chart(app, "web", namespace="frontend")
    ApiObject(web, "site", api_version="v1", kind="ServiceAccount", metadata=ApiObjectMetadata(name="site"))
    platform = Chart(app, "llm-platform", namespace="llm")
    migration = ZeroDowntimeMigration(
        platform,
        "llm",
        alpha_pool=InferencePoolAlphaProps(
            existing=ExistingInferencePoolAlphaProps(
                name="vllm-llama3-8b-instruct-alpha",
                model_server_selector={"app": "vllm-llama3-8b-instruct"},
            ),
        ),
        ga_pool=GaPoolOptions(
            name="vllm-llama3-8b-instruct-ga",
            endpoint_picker=EndpointPickerOptions(
                image_pull_policy=ImagePullPolicy.IF_NOT_PRESENT,
                flags={"v": "2", "kv-cache-usage-percentage-metric": "vllm:gpu_cache_usage_perc"},
                env=[
                    EnvVar(name="GOMEMLIMIT", value="7GiB"),
                    EnvVar(name="HF_TOKEN", value_from=EnvVarSource(secret_key_ref=SecretKeySelector(name="hf-token", key="token"))),
                ],
                resources=ResourceRequirements(requests={"cpu": "2", "memory": "8Gi"}, limits={"memory": "8Gi"}),
            ),
        ),
        gateway=GatewayParentRef(name="inference-gateway"),
        route_name="llm-route",
        steps=steps,
        active_stage="02-shift-10",
    )
    app.synth()
    return migration


if __name__ == "__main__":
    if sys.argv[1:] == ["error"]:
        try:
            composition([50, 10])
        except Exception as err:  # jsii raises the library's error as jsii.errors.JSIIError
            print(f"{type(err).__module__}.{type(err).__name__}: {err}")
            sys.exit(0)
        sys.exit(1)
    quick_start()
    migration = composition([10, 50])
    print("stages: " + " ".join(stage.folder_name for stage in migration.stages))
    print(f"active: {migration.active_stage}")
