package flexos.explore.budget;

import flexos.explore.stats.Estimate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A performance budget: one or more constraints on the metrics a workload reports, all of which must hold.
 *
 * <p>Written {@code get>=500000}, {@code get>=500k}, {@code get>=0.5x} (half of the best measured value, or of a
 * baseline configuration's), or several joined by commas: {@code get>=400k,set>=0.8x}. Values take the
 * suffixes {@code k} (10³), {@code M} (10⁶) and {@code G} (10⁹). Metrics are in the unit the workload reports; for
 * throughput that is requests per second. "Best" means the largest value for {@code >=} and the smallest for
 * {@code <=}.
 *
 * @param constraints the constraints, in the order written
 */
public record Budget(List<Constraint> constraints) {

    private static final Pattern ONE = Pattern.compile(
            "\\s*([A-Za-z_][A-Za-z0-9_.-]*)\\s*(>=|<=|>|<)\\s*([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\\s*([kMGx]?)\\s*");

    public Budget {
        constraints = List.copyOf(constraints);
        if (constraints.isEmpty()) {
            throw new BudgetException("a budget needs at least one constraint, e.g. get>=500000");
        }
    }

    /** How a metric is compared with its limit. */
    public enum Relation {
        AT_LEAST(">="), AT_MOST("<="), ABOVE(">"), BELOW("<");

        private final String symbol;

        Relation(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        /** Whether larger values are better under this relation. */
        public boolean higherIsBetter() {
            return this == AT_LEAST || this == ABOVE;
        }

        boolean holds(double value, double limit) {
            return switch (this) {
                case AT_LEAST -> value >= limit;
                case AT_MOST -> value <= limit;
                case ABOVE -> value > limit;
                case BELOW -> value < limit;
            };
        }

        static Relation of(String symbol) {
            for (Relation r : values()) {
                if (r.symbol.equals(symbol)) {
                    return r;
                }
            }
            throw new BudgetException("unknown relation " + symbol);
        }
    }

    /** One constraint of a budget. */
    public sealed interface Constraint {
        String metric();

        Relation relation();
    }

    /** {@code metric relation limit}, with the limit in the metric's unit. */
    public record Absolute(String metric, Relation relation, double limit) implements Constraint {
        @Override
        public String toString() {
            return metric + relation.symbol() + format(limit);
        }
    }

    /** {@code metric relation factor × best}: the limit is a fraction (or multiple) of a reference value. */
    public record Relative(String metric, Relation relation, double factor) implements Constraint {
        @Override
        public String toString() {
            return metric + relation.symbol() + format(factor) + "x";
        }
    }

    /**
     * Reads a budget expression.
     *
     * @throws BudgetException saying which part is wrong and what is accepted
     */
    public static Budget parse(String text) {
        if (text == null || text.isBlank()) {
            throw new BudgetException("empty budget; write e.g. get>=500000, get>=500k or get>=0.5x");
        }
        List<Constraint> constraints = new ArrayList<>();
        for (String part : text.split(",")) {
            Matcher m = ONE.matcher(part);
            if (!m.matches()) {
                throw new BudgetException("cannot read budget '" + part.trim() + "' in '" + text
                        + "'; write METRIC>=VALUE (get>=500000, get>=500k), METRIC>=FACTORx (get>=0.5x, relative "
                        + "to the best measured or the baseline), or METRIC<=VALUE; join several with commas");
            }
            String metric = m.group(1);
            Relation relation = Relation.of(m.group(2));
            double number = Double.parseDouble(m.group(3));
            String suffix = m.group(4);
            if (suffix.equals("x")) {
                if (number <= 0) {
                    throw new BudgetException("a relative budget needs a positive factor, got '" + part.trim() + "'");
                }
                constraints.add(new Relative(metric, relation, number));
            } else {
                double scale = switch (suffix) {
                    case "k" -> 1e3;
                    case "M" -> 1e6;
                    case "G" -> 1e9;
                    default -> 1;
                };
                constraints.add(new Absolute(metric, relation, number * scale));
            }
        }
        return new Budget(constraints);
    }

    /** The metrics the budget constrains. */
    public List<String> metrics() {
        return constraints.stream().map(Constraint::metric).distinct().toList();
    }

    /** Whether some constraint is relative and needs {@link #resolve} before {@link #meets}. */
    public boolean isRelative() {
        return constraints.stream().anyMatch(c -> c instanceof Relative);
    }

    /**
     * Turns relative constraints into absolute ones, taking as reference the best value of each metric among
     * {@code measured} (each a map of metric values).
     *
     * @throws BudgetException if a relative metric has no measured value
     */
    public Budget resolve(Collection<Map<String, Double>> measured) {
        List<Constraint> out = new ArrayList<>();
        for (Constraint c : constraints) {
            if (c instanceof Relative r) {
                Double best = null;
                for (Map<String, Double> metrics : measured) {
                    Double v = metrics.get(r.metric());
                    if (v != null && (best == null || (r.relation().higherIsBetter() ? v > best : v < best))) {
                        best = v;
                    }
                }
                if (best == null) {
                    throw new BudgetException("budget " + r + " is relative, but no configuration reports "
                            + r.metric() + " to compare with");
                }
                out.add(new Absolute(r.metric(), r.relation(), r.factor() * best));
            } else {
                out.add(c);
            }
        }
        return new Budget(out);
    }

    /** Whether {@code metrics} meet every constraint; a missing metric does not. Needs an absolute budget. */
    public boolean meets(Map<String, Double> metrics) {
        for (Constraint c : constraints) {
            Absolute a = absolute(c);
            Double v = metrics.get(a.metric());
            if (v == null || !a.relation().holds(v, a.limit())) {
                return false;
            }
        }
        return true;
    }

    /**
     * How clearly {@code metrics} meet the budget: the smallest relative slack over the constraints, positive when
     * met (0.1 = 10% better than needed) and negative when missed. A missing metric counts as -infinity.
     */
    public double slack(Map<String, Double> metrics) {
        double worst = Double.POSITIVE_INFINITY;
        for (Constraint c : constraints) {
            Absolute a = absolute(c);
            Double v = metrics.get(a.metric());
            if (v == null) {
                return Double.NEGATIVE_INFINITY;
            }
            double scale = Math.max(Math.abs(a.limit()), 1e-12);
            double s = a.relation().higherIsBetter() ? (v - a.limit()) / scale : (a.limit() - v) / scale;
            worst = Math.min(worst, s);
        }
        return worst;
    }

    /** How a measurement with intervals compares with an absolute budget. */
    public enum Verdict {
        /** Every constraint holds over the whole interval. */
        MEETS,
        /** Some constraint fails over the whole interval. */
        MISSES,
        /** Neither: some interval straddles a limit, and more samples may decide. */
        UNDECIDED
    }

    /**
     * Whether {@code estimates} meet the budget for certain, miss it for certain, or neither: a configuration meets
     * the budget only when each metric's whole confidence interval clears its limit. A missing metric misses.
     * Needs an absolute budget.
     */
    public Verdict verdict(Map<String, Estimate> estimates) {
        boolean undecided = false;
        for (Constraint c : constraints) {
            Absolute a = absolute(c);
            Estimate e = estimates.get(a.metric());
            if (e == null) {
                return Verdict.MISSES;
            }
            boolean worstHolds = a.relation().holds(a.relation().higherIsBetter() ? e.low() : e.high(), a.limit());
            boolean bestHolds = a.relation().holds(a.relation().higherIsBetter() ? e.high() : e.low(), a.limit());
            if (!bestHolds) {
                return Verdict.MISSES;
            }
            undecided |= !worstHolds;
        }
        return undecided ? Verdict.UNDECIDED : Verdict.MEETS;
    }

    /**
     * {@link #slack} of each metric's worst end of its interval ({@code pessimistic}: the low end of a
     * higher-is-better metric) or best end: how clearly a measurement meets, or misses, the budget with its noise.
     */
    public double slack(Map<String, Estimate> estimates, boolean pessimistic) {
        Map<String, Double> bound = new java.util.HashMap<>();
        for (Constraint c : constraints) {
            Estimate e = estimates.get(c.metric());
            if (e != null) {
                boolean low = c.relation().higherIsBetter() == pessimistic;
                bound.put(c.metric(), low ? e.low() : e.high());
            }
        }
        return slack(bound);
    }

    private static Absolute absolute(Constraint c) {
        if (c instanceof Absolute a) {
            return a;
        }
        throw new IllegalStateException("budget constraint " + c + " is relative; resolve it first");
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+$", "");
    }

    @Override
    public String toString() {
        return String.join(",", constraints.stream().map(Object::toString).toList());
    }
}
