// The app of test/languages in Java: the same as typescript/main.ts, which its output must equal byte for byte.
//
// Run from a directory of its own; it writes out/.
//   java example.Main          writes out/migrations (every stage) and out/dist (app.synth), prints the stages
//   java example.Main error    prints the error a wrong prop raises, as Java sees it
package example;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.cdk8s.ApiObject;
import org.cdk8s.ApiObjectMetadata;
import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8s.inferencemigration.EndpointPickerOptions;
import org.cdk8s.inferencemigration.EnvVar;
import org.cdk8s.inferencemigration.EnvVarSource;
import org.cdk8s.inferencemigration.ExistingInferencePoolAlphaProps;
import org.cdk8s.inferencemigration.GaPoolOptions;
import org.cdk8s.inferencemigration.GatewayParentRef;
import org.cdk8s.inferencemigration.GitOpsWriter;
import org.cdk8s.inferencemigration.GitOpsWriterOptions;
import org.cdk8s.inferencemigration.ImagePullPolicy;
import org.cdk8s.inferencemigration.InferencePoolAlphaProps;
import org.cdk8s.inferencemigration.MigrationStage;
import org.cdk8s.inferencemigration.ObjectiveOptions;
import org.cdk8s.inferencemigration.ResourceRequirements;
import org.cdk8s.inferencemigration.SecretKeySelector;
import org.cdk8s.inferencemigration.ZeroDowntimeMigration;

public final class Main {
    private Main() {
    }

    /** The README's quick start: every stage of the migration as GitOps folders. */
    static void quickStart() {
        App app = new App();
        ZeroDowntimeMigration.Builder.create(app, "vllm-llama3-8b-instruct")
                .alphaPool(InferencePoolAlphaProps.builder()
                        .existing(ExistingInferencePoolAlphaProps.builder()
                                .name("vllm-llama3-8b-instruct-alpha")
                                .modelServerSelector(Map.of("app", "vllm-llama3-8b-instruct"))
                                .targetPort(8000)
                                .build())
                        .build())
                .gaPool(GaPoolOptions.builder().name("vllm-llama3-8b-instruct-ga").build())
                .objectives(List.of(
                        ObjectiveOptions.builder().name("food-review").priority(1).build(),
                        ObjectiveOptions.builder().name("base-model").priority(2).build()))
                .gateway(GatewayParentRef.builder().name("inference-gateway").build())
                .routeName("llm-route")
                .steps(List.of(10, 50))
                .build();
        new GitOpsWriter(GitOpsWriterOptions.builder().outdir("out/migrations").validate(true).build()).writeAll(app);
    }

    /** A larger app: a chart of its own, and the migration's selected stage in a namespaced chart. */
    static ZeroDowntimeMigration composition(List<Number> steps) {
        App app = App.Builder.create().outdir("out/dist").build();
        Chart web = Chart.Builder.create(app, "web").namespace("frontend").build();
        ApiObject.Builder.create(web, "site")
                .apiVersion("v1")
                .kind("ServiceAccount")
                .metadata(ApiObjectMetadata.builder().name("site").build())
                .build();
        Chart platform = Chart.Builder.create(app, "llm-platform").namespace("llm").build();
        ZeroDowntimeMigration migration = ZeroDowntimeMigration.Builder.create(platform, "llm")
                .alphaPool(InferencePoolAlphaProps.builder()
                        .existing(ExistingInferencePoolAlphaProps.builder()
                                .name("vllm-llama3-8b-instruct-alpha")
                                .modelServerSelector(Map.of("app", "vllm-llama3-8b-instruct"))
                                .build())
                        .build())
                .gaPool(GaPoolOptions.builder()
                        .name("vllm-llama3-8b-instruct-ga")
                        .endpointPicker(EndpointPickerOptions.builder()
                                .imagePullPolicy(ImagePullPolicy.IF_NOT_PRESENT)
                                // Map.of iterates in a per-JVM random order: the EPP writes its flags in name order.
                                .flags(Map.of("v", "2", "kv-cache-usage-percentage-metric", "vllm:gpu_cache_usage_perc"))
                                .env(List.of(
                                        EnvVar.builder().name("GOMEMLIMIT").value("7GiB").build(),
                                        EnvVar.builder().name("HF_TOKEN").valueFrom(EnvVarSource.builder()
                                                .secretKeyRef(SecretKeySelector.builder().name("hf-token").key("token").build())
                                                .build()).build()))
                                .resources(ResourceRequirements.builder()
                                        .requests(Map.of("cpu", "2", "memory", "8Gi"))
                                        .limits(Map.of("memory", "8Gi"))
                                        .build())
                                .build())
                        .build())
                .gateway(GatewayParentRef.builder().name("inference-gateway").build())
                .routeName("llm-route")
                .steps(steps)
                .activeStage("02-shift-10")
                .build();
        app.synth();
        return migration;
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("error")) {
            try {
                composition(List.of(50, 10));
            } catch (RuntimeException err) {
                // The message ends with the JavaScript stack of the error: its first line is the error itself.
                System.out.println(err.getClass().getName() + ": " + err.getMessage().split("\n", 2)[0]);
                return;
            }
            System.exit(1);
        }
        quickStart();
        ZeroDowntimeMigration migration = composition(List.of(10, 50));
        System.out.println("stages: " + migration.getStages().stream().map(MigrationStage::getFolderName).collect(Collectors.joining(" ")));
        System.out.println("active: " + migration.getActiveStage());
    }
}
