package flexos.explore.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetTest {

    @Test
    void absoluteBudgetsTakeSuffixes() {
        assertTrue(Budget.parse("get>=500k").meets(Map.of("get", 500_000.0)));
        assertFalse(Budget.parse("get>=500000").meets(Map.of("get", 499_999.0)));
        assertFalse(Budget.parse("get>=1M").meets(Map.of("set", 2e6)));
        assertTrue(Budget.parse("get>=400k, set>=0.1M").meets(Map.of("get", 4e5, "set", 1e5)));
        assertTrue(Budget.parse("p99<=2").meets(Map.of("p99", 1.5)));
    }

    @Test
    void relativeBudgetsResolveAgainstTheBestMeasured() {
        Budget relative = Budget.parse("get>=0.5x");
        assertTrue(relative.isRelative());
        Budget resolved = relative.resolve(List.of(Map.of("get", 1000.0), Map.of("get", 1200.0)));
        assertEquals("get>=600", resolved.toString());
        assertThrows(IllegalStateException.class, () -> relative.meets(Map.of("get", 1.0)));
        assertThrows(BudgetException.class, () -> relative.resolve(List.of(Map.of("set", 1.0))));
    }

    @Test
    void slackSaysHowClearlyABudgetIsMet() {
        Budget b = Budget.parse("get>=500k");
        assertEquals(0.1, b.slack(Map.of("get", 550_000.0)), 1e-9);
        assertEquals(-0.2, b.slack(Map.of("get", 400_000.0)), 1e-9);
    }

    @Test
    void badExpressionsSayWhatIsAccepted() {
        BudgetException e = assertThrows(BudgetException.class, () -> Budget.parse("get=>500"));
        assertTrue(e.getMessage().contains("get>=500000"), e.getMessage());
        assertThrows(BudgetException.class, () -> Budget.parse(" "));
        assertThrows(BudgetException.class, () -> Budget.parse("get>=0x"));
    }
}
