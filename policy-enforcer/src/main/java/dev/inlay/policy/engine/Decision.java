package dev.inlay.policy.engine;

import dev.inlay.policy.Action;
import dev.inlay.policy.Category;

/**
 * The answer to "may this happen?": the action and the id of the rule that decided. Instances are created once when
 * a policy is compiled and shared, so deciding allocates nothing.
 */
public final class Decision {
    private final Category category;
    private final Action action;
    private final String ruleId;
    private final boolean byDefault;

    Decision(Category category, Action action, String ruleId, boolean byDefault) {
        this.category = category;
        this.action = action;
        this.ruleId = ruleId;
        this.byDefault = byDefault;
    }

    /** The id used when no rule matched and the category's default decided: {@code default/files}. */
    public static String defaultRuleId(Category category) {
        return "default/" + category.yamlName();
    }

    public Category category() {
        return category;
    }

    public Action action() {
        return action;
    }

    public String ruleId() {
        return ruleId;
    }

    /** True when no rule matched and the category default decided. */
    public boolean byDefault() {
        return byDefault;
    }

    @Override
    public String toString() {
        return action.wireName() + " by " + ruleId;
    }
}
