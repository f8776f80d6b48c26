package dev.inlay.profiler.generate;

import dev.inlay.policy.Patterns;

/** The generated-class generalization: lambdas, proxies, accessors, CGLIB and ByteBuddy subclasses as patterns. */
final class ClassNamePatterns {
    private ClassNamePatterns() {}

    /** Generated class names (lambdas, proxies, accessors, CGLIB and ByteBuddy subclasses) as patterns. */
    static String generalize(String name) {
        if (name.indexOf(PathPatterns.GENERALIZED) >= 0) return Patterns.literal(name);
        String mark = String.valueOf(PathPatterns.GENERALIZED);
        String s = name.replaceAll("\\$\\$Lambda(\\$\\d+)?(/0x[0-9a-fA-F]+)?", "\\$\\$Lambda" + mark);
        s = s.replaceAll("(\\$Proxy|Accessor)\\d+", "$1" + mark);
        s = s.replaceAll(
                "(\\$\\$(?:EnhancerByCGLIB|FastClassByCGLIB|SpringCGLIB|EnhancerBySpringCGLIB)\\$\\$)[0-9A-Za-z]+",
                "$1" + mark);
        // ByteBuddy's random suffixes (a new one each run): its default, Hibernate 6's proxies, instantiators and
        // access optimizers, Mockito's mocks
        s = s.replaceAll(
                "(\\$(?:ByteBuddy|HibernateProxy|HibernateBasicProxy|HibernateInstantiator"
                        + "|HibernateAccessOptimizer|MockitoMock)\\$)[0-9A-Za-z]+",
                "$1" + mark);
        // hidden classes end in '/0x...'; '/' is not part of a class pattern but '*' matches it
        s = s.replaceAll("/0x[0-9a-fA-F]+", mark);
        return PathPatterns.toPattern(s.replaceAll(mark + "{2,}", mark));
    }
}
