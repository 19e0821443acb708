package flexos.analyze;

import flexos.core.metadata.LibraryMetadata;
import flexos.core.metadata.MetadataException;
import flexos.core.metadata.MetadataParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Seeded metadata sets of a realistic shape, larger than the shipped ones, for the SFI enumeration's tests and
 * timings: {@code guards} verified libraries in the manner of the seed's scheduler (neighbours may read their
 * memory, write shared memory and call their API), {@code candidates} C-like libraries that write all memory
 * (asan candidates; a quarter of them also guard their own memory, and some call a guarded library's internal
 * function, which no hardening excuses), and memory-safe libraries for the rest.
 */
final class SyntheticLibraries {

    private SyntheticLibraries() {
    }

    /** The metadata texts, by library name, in name order. */
    static List<String[]> texts(int libraries, int candidates, int guards, long seed) {
        Random random = new Random(seed);
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < libraries; i++) {
            String name = String.format(Locale.ROOT, "lib%02d", i);
            StringBuilder meta = new StringBuilder();
            List<String> calls = new ArrayList<>();
            if (i < guards) {
                meta.append("[Memory access] Read(Own, Shared); Write(Own, Shared)\n");
                meta.append("[API] api").append(i).append("(x); internal").append(i).append("(x)\n");
                meta.append("[Requires] *(Read, Own), *(Write, Shared), *(Call, api").append(i).append(")\n");
            } else if (i < guards + candidates) {
                meta.append("[Memory access] Read(*); Write(*)\n");
                if (guards > 0) {
                    int g = random.nextInt(guards);
                    calls.add(String.format(Locale.ROOT, "lib%02d::%s%d", g, random.nextInt(8) == 0 ? "internal"
                            : "api", g));
                }
                meta.append("[API] f").append(i).append("(x)\n");
                if (random.nextInt(4) == 0) {
                    meta.append("[Requires] *(Read, *), *(Write, Shared), *(Call, *)\n");
                }
            } else {
                meta.append("[Memory access] Read(Own, Shared); Write(Own, Shared)\n");
                meta.append("[API] g").append(i).append("(x)\n");
            }
            meta.insert(meta.indexOf("[API]"), "[Call] " + String.join(", ", calls) + "\n");
            out.add(new String[] {name, meta.toString()});
        }
        return out;
    }

    static List<LibraryMetadata> of(int libraries, int candidates, int guards, long seed) throws MetadataException {
        List<LibraryMetadata> out = new ArrayList<>();
        for (String[] t : texts(libraries, candidates, guards, seed)) {
            out.add(MetadataParser.parse(t[0], t[1], Path.of(t[0] + ".meta")));
        }
        return out;
    }

    /** Writes a set as {@code DIR/NAME.meta} files: {@code LIBRARIES CANDIDATES GUARDS SEED DIR}. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[4]);
        Files.createDirectories(dir);
        for (String[] t : texts(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                Long.parseLong(args[3]))) {
            Files.writeString(dir.resolve(t[0] + ".meta"), t[1]);
        }
    }
}
