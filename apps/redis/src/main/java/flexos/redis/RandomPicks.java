package flexos.redis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The selection rules of SRANDMEMBER, HRANDFIELD and ZRANDMEMBER with a count: a positive count picks that many
 * distinct elements (all of them if there are fewer), a negative count picks |count| elements that may repeat.
 */
final class RandomPicks {

    private RandomPicks() {
    }

    static List<Dict.Entry> pick(Dict dict, long count, boolean withValues, Xorshift random) {
        if (count == Long.MIN_VALUE || (count < 0 && withValues && -count > Long.MAX_VALUE / 2)) {
            throw new CommandError("ERR value is out of range");
        }
        List<Dict.Entry> out = new ArrayList<>();
        if (count == 0 || dict.size() == 0) {
            return out;
        }
        if (count < 0) {
            long n = -count;
            if (n > 100_000_000L) {
                throw new CommandError("ERR value is out of range");
            }
            // Uniform over the elements, not over the buckets as randomEntry is (a long chain would be under-drawn).
            List<Dict.Entry> all = new ArrayList<>(dict.size());
            dict.forEach(all::add);
            for (long i = 0; i < n; i++) {
                out.add(all.get(random.nextInt(all.size())));
            }
            return out;
        }
        List<Dict.Entry> all = new ArrayList<>(dict.size());
        dict.forEach(all::add);
        if (count >= all.size()) {
            return all;
        }
        // A partial Fisher-Yates shuffle: the first count slots are a uniform sample without repeats.
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(all.size() - i);
            Collections.swap(all, i, j);
        }
        return new ArrayList<>(all.subList(0, (int) count));
    }
}
