package flexos.core.mechanism.mpk;

import flexos.core.mechanism.Mechanism.Availability;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only where this machine gives protection keys; elsewhere JUnit reports its tests skipped,
 * "no pku on this CPU", with the detection's reason.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresPku.Condition.class)
@interface RequiresPku {

    final class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Availability here = PkuSupport.onThisMachine();
            if (here.available()) {
                return ConditionEvaluationResult.enabled("this machine has protection keys: " + here.reason());
            }
            System.err.println("[mpk] " + context.getDisplayName() + " skipped: no pku on this CPU (" + here.reason() + ")");
            return ConditionEvaluationResult.disabled("no pku on this CPU: " + here.reason());
        }
    }
}
