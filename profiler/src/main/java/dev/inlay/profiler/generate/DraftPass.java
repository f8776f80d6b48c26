package dev.inlay.profiler.generate;

/**
 * One step over the drafts of a whole profile: a generalization rewrites them (many drafts into one pattern, ports into
 * a range) only as far as its own rule allows; the lint gate takes back what lint objects to. {@link PolicyGenerator}
 * applies the passes in order after drafting.
 */
interface DraftPass {
    void apply(Drafts drafts);
}
