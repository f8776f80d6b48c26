package dev.inlay.deploy;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.List;

/**
 * A Cloud Run service in its Knative form ({@code gcloud run services describe --format export}, applied with
 * {@code gcloud run services replace}): {@code spec.template.spec.containers[]} with {@code image} and {@code env}.
 * Cloud Run has no downward API, so no identity variables are added: the agent takes K_SERVICE and K_REVISION.
 */
public final class CloudRunService {
    private CloudRunService() {}

    public static Rewritten rewrite(String text, String source, DeploySettings settings) {
        List<YamlStream.Document> docs = YamlStream.parse(text, source);
        DeployReport report = new DeployReport("cloudrun", source, settings.check());
        ContainerRewriter rewriter = new ContainerRewriter(settings, false);
        int services = 0;
        for (YamlStream.Document doc : docs) {
            Node root = doc.root();
            if (root == null || YamlNodes.isNull(root)) continue;
            String apiVersion = YamlNodes.text(root, "apiVersion");
            if (!(root instanceof MappingNode)
                    || !"Service".equals(YamlNodes.text(root, "kind"))
                    || apiVersion == null
                    || !apiVersion.startsWith("serving.knative.dev/")) {
                throw new DeployInputException(source + ": not a Cloud Run service (expected apiVersion "
                        + "serving.knative.dev/v1, kind Service)" + KubernetesManifest.line(root));
            }
            services++;
            String label = "Service " + YamlNodes.text(YamlNodes.get(root, "metadata"), "name");
            if (!(YamlNodes.at(root, "spec", "template", "spec", "containers") instanceof SequenceNode containers)) {
                throw new DeployInputException(source + ": " + label + " has no spec.template.spec.containers list");
            }
            for (int i = 0; i < containers.getValue().size(); i++) {
                if (!(containers.getValue().get(i) instanceof MappingNode c)) {
                    throw new DeployInputException(source + ": " + label + ": containers[" + i + "] is not a mapping");
                }
                String name = YamlNodes.text(c, "name");
                String where = label + ", container " + (name == null ? "containers[" + i + "]" : name);
                report.add(rewriter.rewrite(
                        new YamlContainer(name, where, c, "env", List.of("valueFrom"), List.of(), doc::markChanged)));
            }
        }
        if (services == 0) throw new DeployInputException(source + ": empty document: no Cloud Run service");
        return new Rewritten(YamlStream.render(docs), report);
    }
}
