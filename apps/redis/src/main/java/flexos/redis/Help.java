package flexos.redis;

import java.util.ArrayList;
import java.util.List;

/** The reply of a container command's HELP subcommand, in Redis's shape: a header line, the lines, and a footer. */
final class Help {

    private Help() {
    }

    static void reply(Client c, String command, List<String> lines) {
        List<String> all = new ArrayList<>();
        all.add(command + " <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
        all.addAll(lines);
        all.add("HELP");
        all.add("    Print this help.");
        c.addArrayHeader(all.size());
        for (String line : all) {
            c.addStatus(line);
        }
    }
}
