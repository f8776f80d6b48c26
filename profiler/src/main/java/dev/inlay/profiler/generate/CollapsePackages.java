package dev.inlay.profiler.generate;

import dev.inlay.policy.Category;
import dev.inlay.policy.Selector;

import java.util.List;

/** Many deserialized classes of one package become {@code pkg.*}; never the JDK's or a known gadget library's. */
final class CollapsePackages extends GroupCollapse {
    /** Packages never collapsed into {@code pkg.*} for deserialization: the JDK and known gadget-chain libraries. */
    private static final List<String> NO_COLLAPSE_PACKAGES = List.of(
            "java.",
            "javax.",
            "jdk.",
            "sun.",
            "com.sun.",
            "org.apache.commons.collections",
            "org.apache.commons.beanutils",
            "org.springframework.",
            "org.codehaus.groovy.",
            "com.mchange.",
            "org.hibernate.",
            "org.apache.xalan.",
            "bsh.",
            "clojure.",
            "org.python.",
            "com.rometools.",
            "org.mozilla.javascript.",
            "net.sf.json.",
            "com.alibaba.fastjson.",
            "org.jboss.",
            "com.fasterxml.jackson.databind.");

    CollapsePackages(int threshold) {
        super(Category.DESERIALIZATION, Selector.CLASSES, threshold);
    }

    @Override
    String groupOf(Draft d) {
        String cls = d.only(Selector.CLASSES);
        if (cls == null || cls.endsWith("*")) return null;
        int dot = cls.lastIndexOf('.');
        if (dot < 0) return null;
        for (String p : NO_COLLAPSE_PACKAGES) if (cls.startsWith(p)) return null;
        return cls.substring(0, dot) + ".*";
    }

    @Override
    String slug(String pattern) {
        return Slugs.className(pattern);
    }
}
