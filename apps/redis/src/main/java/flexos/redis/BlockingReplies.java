package flexos.redis;

/** What a blocking command answers when its timeout passes (or CLIENT UNBLOCK ... TIMEOUT wakes it). */
final class BlockingReplies {

    private BlockingReplies() {
    }

    static void timeout(Client c, Command command) {
        switch (command.name) {
            case "brpoplpush", "blmove" -> c.addNull();
            default -> c.addNullArray();
        }
    }
}
