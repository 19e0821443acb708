package flexos.core.metadata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses the metadata language of SPEC §6 (seed 003 §2); the grammar is in {@code docs/metadata-language.md}.
 *
 * <p>The parser checks everything that one file can show on its own: the clause names, that {@code [Memory access]},
 * {@code [Call]} and {@code [API]} are present and no clause is written twice, the syntax of every clause, and that a
 * {@code *(Call, fn)} requirement names a function of the file's own {@code [API]}. Whether a {@code [Call]} names a
 * library and function that exist needs the other libraries, so the analysis checks that. Every error is a
 * {@link MetadataException} naming {@code file:line:col} and what was expected.
 *
 * <p>Instances are single-use; the static methods are the entry points and are safe to call from any thread.
 */
public final class MetadataParser {

    /** The clause names, as written between brackets. */
    public static final String MEMORY_ACCESS = "Memory access";
    public static final String CALL = "Call";
    public static final String API = "API";
    public static final String REQUIRES = "Requires";
    public static final String HOST = "Host";

    private static final List<String> CLAUSES = List.of(MEMORY_ACCESS, CALL, API, REQUIRES, HOST);
    private static final String CLAUSE_LIST = "[Memory access], [Call], [API], [Requires] or [Host]";
    private static final List<String> CAPABILITIES = List.of("Sockets", "Files", "Threads", "Clock", "Console",
            "Processes", "Management", "Native");
    private static final String SCOPES = "Own, Shared or *";

    private final String library;
    private final char[] text;
    private final Path source;
    private int pos;
    private int end;

    private MetadataParser(String library, String text, Path source) {
        this.library = library;
        this.text = blankComments(text);
        this.source = source;
    }

    /** Parses {@code file}; the library's name is the file's base name without {@code .meta}. */
    public static LibraryMetadata parse(Path file) throws MetadataException {
        return parseLocated(file).metadata();
    }

    /** Parses {@code file} and keeps where each part was written. */
    public static LocatedMetadata parseLocated(Path file) throws MetadataException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new MetadataException(new SourceLocation(file, 1, 1), "cannot read the metadata file (" + e + ")",
                    "a readable UTF-8 file");
        }
        return parseLocated(libraryName(file), text, file);
    }

    /** The library name a metadata file stands for: its base name without {@code .meta}. */
    public static String libraryName(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".meta") ? name.substring(0, name.length() - ".meta".length()) : name;
    }

    /**
     * Parses {@code text}, the metadata of {@code library}.
     *
     * @param source where the text came from, used in error messages; {@code <library>.meta} when {@code null}
     */
    public static LibraryMetadata parse(String library, String text, Path source) throws MetadataException {
        return parseLocated(library, text, source).metadata();
    }

    /** Like {@link #parse(String, String, Path)}, keeping where each part was written. */
    public static LocatedMetadata parseLocated(String library, String text, Path source) throws MetadataException {
        Path file = source == null ? Path.of(library + ".meta") : source;
        return new MetadataParser(library, text, file).document();
    }

    // Comments become blanks so that every remaining character keeps its line and column.
    private static char[] blankComments(String text) {
        char[] chars = text.toCharArray();
        boolean comment = false;
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] == '\n') {
                comment = false;
            } else if (chars[i] == '#') {
                comment = true;
            }
            if (comment) {
                chars[i] = ' ';
            }
        }
        return chars;
    }

    private record Clause(String name, SourceLocation where, int bodyStart, int bodyEnd) {
    }

    private LocatedMetadata document() throws MetadataException {
        Map<String, Clause> clauses = new LinkedHashMap<>();
        pos = 0;
        end = text.length;
        skipBlanks();
        if (pos < end && text[pos] != '[') {
            throw error(pos, "text before the first clause", "a clause header such as [Memory access]");
        }
        while (pos < end) {
            int open = pos;
            int close = open + 1;
            while (close < end && text[close] != ']' && text[close] != '\n' && text[close] != '[') {
                close++;
            }
            if (close >= end || text[close] != ']') {
                throw error(close, "unterminated clause header", "']' closing the header opened at "
                        + locate(open).line() + ":" + locate(open).column());
            }
            String name = new String(text, open + 1, close - open - 1).strip().replaceAll("\\s+", " ");
            if (!CLAUSES.contains(name)) {
                String hint = CLAUSES.stream().filter(c -> c.equalsIgnoreCase(name)).findFirst()
                        .map(c -> " (clause names are case-sensitive: [" + c + "])").orElse("");
                throw error(open, "unknown clause [" + name + "]" + hint, CLAUSE_LIST);
            }
            Clause previous = clauses.get(name);
            if (previous != null) {
                throw error(open, "duplicate clause [" + name + "], first written at " + previous.where().line()
                        + ":" + previous.where().column(), "each clause at most once");
            }
            int bodyEnd = close + 1;
            while (bodyEnd < end && text[bodyEnd] != '[') {
                bodyEnd++;
            }
            clauses.put(name, new Clause(name, locate(open), close + 1, bodyEnd));
            pos = bodyEnd;
        }
        for (String required : List.of(MEMORY_ACCESS, CALL, API)) {
            if (!clauses.containsKey(required)) {
                throw error(end, "missing clause [" + required + "]", "[" + required + "] (required in every "
                        + "metadata file; only [Requires] and [Host] are optional)");
            }
        }

        Map<FunctionRef, SourceLocation> callSites = new LinkedHashMap<>();
        Map<Permission, SourceLocation> permissionSites = new LinkedHashMap<>();
        Map<String, SourceLocation> hostSites = new LinkedHashMap<>();
        MemoryAccess memory = memoryAccess(clauses.get(MEMORY_ACCESS));
        CallPolicy calls = calls(clauses.get(CALL), callSites);
        List<ApiFunction> api = api(clauses.get(API));
        Optional<List<Permission>> requires = clauses.containsKey(REQUIRES)
                ? Optional.of(requires(clauses.get(REQUIRES), api, permissionSites))
                : Optional.empty();
        HostCapabilities host = clauses.containsKey(HOST) ? host(clauses.get(HOST), hostSites) : HostCapabilities.NONE;

        Map<String, SourceLocation> clauseSites = new LinkedHashMap<>();
        clauses.forEach((name, clause) -> clauseSites.put(name, clause.where()));
        LibraryMetadata metadata = new LibraryMetadata(library, memory, calls, api, requires, host,
                new SourceLocation(source, 1, 1));
        return new LocatedMetadata(metadata, clauseSites, callSites, permissionSites, hostSites);
    }

    // ---- [Memory access] Read(Own, Shared); Write(*)

    private MemoryAccess memoryAccess(Clause clause) throws MetadataException {
        enter(clause);
        Set<MemoryScope> reads = EnumSet.noneOf(MemoryScope.class);
        Set<MemoryScope> writes = EnumSet.noneOf(MemoryScope.class);
        Set<String> seen = new LinkedHashSet<>();
        if (!atClauseEnd()) {
            do {
                skipBlanks();
                int at = pos;
                String verb = word();
                if (!verb.equals("Read") && !verb.equals("Write")) {
                    throw error(at, verb.isEmpty() ? "unexpected " + describeHere() : "unknown access '" + verb + "'",
                            "Read(...) or Write(...)");
                }
                if (!seen.add(verb)) {
                    throw error(at, "duplicate " + verb + "(...) in [Memory access]", "each of Read and Write once");
                }
                expect('(', "'(' after " + verb);
                Set<MemoryScope> target = verb.equals("Read") ? reads : writes;
                do {
                    skipBlanks();
                    int scopeAt = pos;
                    MemoryScope scope = scope();
                    if (!target.add(scope)) {
                        throw error(scopeAt, "scope " + scope.syntax() + " written twice in " + verb + "(...)",
                                "each scope once");
                    }
                } while (accept(','));
                expect(')', "',' or ')' in " + verb + "(...)");
            } while (acceptSeparator());
        }
        finish(clause, "';' then Read(...) or Write(...)");
        return new MemoryAccess(reads, writes);
    }

    private MemoryScope scope() throws MetadataException {
        skipBlanks();
        int at = pos;
        if (accept('*')) {
            return MemoryScope.ALL;
        }
        String word = word();
        return switch (word) {
            case "Own" -> MemoryScope.OWN;
            case "Shared" -> MemoryScope.SHARED;
            default -> throw error(at, word.isEmpty() ? "unexpected " + describeAt(at) : "unknown scope '" + word
                    + "'", SCOPES);
        };
    }

    // ---- [Call] *   |   lib::fn, lib::fn   |   (empty)

    private CallPolicy calls(Clause clause, Map<FunctionRef, SourceLocation> sites) throws MetadataException {
        enter(clause);
        if (atClauseEnd()) {
            finish(clause, "nothing");
            return new CallPolicy.Only(List.of());
        }
        skipBlanks();
        if (accept('*')) {
            finish(clause, "nothing after '*' ([Call] * already allows every call)");
            return new CallPolicy.Anything();
        }
        List<FunctionRef> functions = new ArrayList<>();
        do {
            skipBlanks();
            int at = pos;
            String lib = identifier("a library name in lib::fn, or '*'");
            skipBlanks();
            if (!(pos + 1 < end && text[pos] == ':' && text[pos + 1] == ':')) {
                throw error(pos, "'" + lib + "' is not a call", "'::' as in " + lib + "::function (a call names "
                        + "the library and the function)");
            }
            pos += 2;
            String fn = identifier("a function name after " + lib + "::");
            FunctionRef ref = new FunctionRef(lib, fn);
            if (lib.equals(library)) {
                throw error(at, "[Call] names the library's own function " + ref, "functions of other libraries "
                        + "(calls inside a library are not gates)");
            }
            if (sites.containsKey(ref)) {
                throw error(at, "call " + ref + " listed twice", "each call once");
            }
            sites.put(ref, locate(at));
            functions.add(ref);
        } while (acceptSeparator());
        finish(clause, "',' then lib::fn");
        return new CallPolicy.Only(functions);
    }

    // ---- [API] name(params); name(...)

    private List<ApiFunction> api(Clause clause) throws MetadataException {
        enter(clause);
        List<ApiFunction> functions = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        if (!atClauseEnd()) {
            do {
                skipBlanks();
                int at = pos;
                String name = identifier("a function name such as spawn(name, task)");
                if (seen.putIfAbsent(name, at) != null) {
                    throw error(at, "API function '" + name + "' listed twice", "each function once "
                            + "(overloads share one entry)");
                }
                expect('(', "'(' and the parameters of " + name + ", or (...)");
                int open = pos;
                int depth = 1;
                while (pos < end && depth > 0) {
                    if (text[pos] == '(') {
                        depth++;
                    } else if (text[pos] == ')') {
                        depth--;
                    }
                    pos++;
                }
                if (depth > 0) {
                    throw error(open - 1, "unclosed parameter list of " + name, "')'");
                }
                String parameters = new String(text, open, pos - 1 - open).strip().replaceAll("\\s+", " ");
                functions.add(new ApiFunction(name, parameters));
            } while (acceptSeparator());
        }
        finish(clause, "';' then name(parameters)");
        return functions;
    }

    // ---- [Requires] *(Read, Own), lib(Call, fn)

    private List<Permission> requires(Clause clause, List<ApiFunction> api, Map<Permission, SourceLocation> sites)
            throws MetadataException {
        enter(clause);
        List<Permission> permissions = new ArrayList<>();
        if (!atClauseEnd()) {
            do {
                skipBlanks();
                int at = pos;
                String subject = accept('*') ? "*"
                        : identifier("a permission such as *(Read, Own), whose subject is '*' or a library name");
                if (subject.equals(library)) {
                    throw error(at, "a library cannot grant permissions to itself",
                            "'*' or the name of another library");
                }
                expect('(', "'(' as in " + subject + "(Read, Own)");
                skipBlanks();
                int actionAt = pos;
                String verb = word();
                Permission.Action action = switch (verb) {
                    case "Read" -> Permission.Action.READ;
                    case "Write" -> Permission.Action.WRITE;
                    case "Call" -> Permission.Action.CALL;
                    default -> throw error(actionAt, verb.isEmpty() ? "unexpected " + describeAt(actionAt)
                            : "unknown action '" + verb + "'", "Read, Write or Call");
                };
                expect(',', "',' after " + verb);
                skipBlanks();
                int objectAt = pos;
                String object;
                if (action == Permission.Action.CALL) {
                    object = accept('*') ? "*" : identifier("a function of this library's [API], or '*'");
                    if (!object.equals("*") && api.stream().noneMatch(f -> f.name().equals(object))) {
                        throw error(objectAt, "requirement allows calling '" + object + "', which is not in [API]",
                                "one of " + api.stream().map(ApiFunction::name).toList() + " or '*'");
                    }
                } else {
                    object = scope().syntax();
                }
                expect(')', "')' closing " + subject + "(" + verb + ", " + object);
                Permission permission = new Permission(subject, action, object);
                if (sites.containsKey(permission)) {
                    throw error(at, "permission " + permission + " listed twice", "each permission once");
                }
                sites.put(permission, locate(at));
                permissions.add(permission);
            } while (acceptSeparator());
        }
        finish(clause, "',' then a permission such as *(Read, Own)");
        return permissions;
    }

    // ---- [Host] Sockets(listen, connect); Files(read: /var/lib/x, write: ./data); Threads; Clock

    private HostCapabilities host(Clause clause, Map<String, SourceLocation> sites) throws MetadataException {
        enter(clause);
        List<HostCapability> capabilities = new ArrayList<>();
        if (!atClauseEnd()) {
            do {
                skipBlanks();
                int at = pos;
                String name = word();
                if (!CAPABILITIES.contains(name)) {
                    String hint = CAPABILITIES.stream().filter(c -> c.equalsIgnoreCase(name)).findFirst()
                            .map(c -> " (capability names are case-sensitive: " + c + ")").orElse("");
                    throw error(at, name.isEmpty() ? "unexpected " + describeAt(at)
                            : "unknown host capability '" + name + "'" + hint, String.join(", ", CAPABILITIES));
                }
                if (sites.containsKey(name)) {
                    SourceLocation first = sites.get(name);
                    throw error(at, "host capability " + name + " declared twice, first at " + first.line() + ":"
                            + first.column(), "each capability once (list all its uses in one entry)");
                }
                sites.put(name, locate(at));
                capabilities.add(switch (name) {
                    case "Sockets" -> sockets();
                    case "Files" -> files();
                    default -> {
                        skipBlanks();
                        if (pos < end && text[pos] == '(') {
                            throw error(pos, name + " takes no arguments", "';' or the end of the clause after "
                                    + name);
                        }
                        yield switch (name) {
                            case "Threads" -> new HostCapability.Threads();
                            case "Clock" -> new HostCapability.Clock();
                            case "Console" -> new HostCapability.Console();
                            case "Processes" -> new HostCapability.Processes();
                            case "Management" -> new HostCapability.Management();
                            default -> new HostCapability.Native();
                        };
                    }
                });
            } while (acceptSeparator());
        }
        finish(clause, "';' then a host capability such as Sockets(listen) or Clock");
        return new HostCapabilities(capabilities);
    }

    private HostCapability.Sockets sockets() throws MetadataException {
        expect('(', "'(' and what the library does with sockets, as in Sockets(listen, connect)");
        Set<HostCapability.Sockets.Use> uses = EnumSet.noneOf(HostCapability.Sockets.Use.class);
        do {
            skipBlanks();
            int at = pos;
            String word = word();
            HostCapability.Sockets.Use use = switch (word) {
                case "listen" -> HostCapability.Sockets.Use.LISTEN;
                case "connect" -> HostCapability.Sockets.Use.CONNECT;
                default -> throw error(at, word.isEmpty() ? "unexpected " + describeAt(at)
                        : "unknown socket use '" + word + "'", "listen or connect");
            };
            if (!uses.add(use)) {
                throw error(at, "socket use " + word + " written twice in Sockets(...)", "each use once");
            }
        } while (accept(','));
        expect(')', "',' or ')' in Sockets(...)");
        return new HostCapability.Sockets(uses);
    }

    private HostCapability.Files files() throws MetadataException {
        expect('(', "'(' and the paths the library reads or writes, as in Files(read: /var/lib/redis)");
        List<HostCapability.FileGrant> grants = new ArrayList<>();
        do {
            skipBlanks();
            int at = pos;
            String word = word();
            HostCapability.FileGrant.Access access = switch (word) {
                case "read" -> HostCapability.FileGrant.Access.READ;
                case "write" -> HostCapability.FileGrant.Access.WRITE;
                default -> throw error(at, word.isEmpty() ? "unexpected " + describeAt(at)
                        : "unknown file access '" + word + "'", "read: PATH or write: PATH");
            };
            expect(':', "':' and a path after " + word);
            skipBlanks();
            int pathAt = pos;
            while (pos < end && !Character.isWhitespace(text[pos]) && ",;()[]".indexOf(text[pos]) < 0) {
                pos++;
            }
            String path = normalizePath(new String(text, pathAt, pos - pathAt), pathAt);
            HostCapability.FileGrant grant = new HostCapability.FileGrant(access, path);
            if (grants.contains(grant)) {
                throw error(at, "file grant " + grant.syntax() + " written twice", "each grant once");
            }
            grants.add(grant);
        } while (accept(','));
        expect(')', "',' or ')' in Files(...)");
        return new HostCapability.Files(grants);
    }

    private String normalizePath(String path, int at) throws MetadataException {
        String expected = "*, an absolute path such as /var/lib/redis, or a path relative to the image's working "
                + "directory starting with ./";
        if (path.isEmpty()) {
            throw error(at, "missing path", expected);
        }
        if (path.equals("*")) {
            return path;
        }
        if (!(path.startsWith("/") || path.equals(".") || path.startsWith("./"))) {
            throw error(at, "path '" + path + "' is neither absolute nor relative to the working directory", expected);
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                throw error(at, "path '" + path + "' climbs with '..'", expected + ", without '..'");
            }
        }
        String normalized = Path.of(path).normalize().toString();
        if (path.startsWith("/")) {
            return normalized;
        }
        return normalized.isEmpty() ? "." : "./" + normalized;
    }

    // ---- scanning

    private void enter(Clause clause) {
        pos = clause.bodyStart();
        end = clause.bodyEnd();
    }

    private boolean atClauseEnd() {
        skipBlanks();
        if (pos >= end) {
            return true;
        }
        // A lone trailing '.' (the seed writes clauses as sentences) ends the clause too.
        if (text[pos] == '.') {
            int after = pos + 1;
            while (after < end && Character.isWhitespace(text[after])) {
                after++;
            }
            return after >= end;
        }
        return false;
    }

    private void finish(Clause clause, String expected) throws MetadataException {
        if (atClauseEnd()) {
            pos = end;
            return;
        }
        throw error(pos, "unexpected " + describeHere() + " in [" + clause.name() + "]", expected
                + ", or the end of the clause");
    }

    private boolean acceptSeparator() {
        skipBlanks();
        if (pos < end && (text[pos] == ',' || text[pos] == ';')) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean accept(char c) {
        skipBlanks();
        if (pos < end && text[pos] == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(char c, String expected) throws MetadataException {
        if (!accept(c)) {
            throw error(pos, "unexpected " + describeHere(), expected);
        }
    }

    private String word() {
        skipBlanks();
        int start = pos;
        while (pos < end && Character.isLetter(text[pos])) {
            pos++;
        }
        return new String(text, start, pos - start);
    }

    private String identifier(String expected) throws MetadataException {
        skipBlanks();
        int start = pos;
        if (pos < end && (Character.isJavaIdentifierStart(text[pos]))) {
            pos++;
            while (pos < end && (Character.isJavaIdentifierPart(text[pos]) || text[pos] == '-')
                    && !Character.isIdentifierIgnorable(text[pos])) {
                pos++;
            }
            return new String(text, start, pos - start);
        }
        throw error(pos, "unexpected " + describeHere(), expected);
    }

    private void skipBlanks() {
        while (pos < end && Character.isWhitespace(text[pos])) {
            pos++;
        }
    }

    private String describeHere() {
        return describeAt(pos);
    }

    private String describeAt(int at) {
        if (at >= end) {
            return "end of clause";
        }
        int stop = at;
        while (stop < end && stop - at < 20 && !Character.isWhitespace(text[stop])) {
            stop++;
        }
        return "'" + new String(text, at, Math.max(1, stop - at)) + "'";
    }

    private MetadataException error(int at, String problem, String expected) {
        return new MetadataException(locate(at), problem, expected);
    }

    private SourceLocation locate(int at) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < Math.min(at, text.length); i++) {
            if (text[i] == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new SourceLocation(source, line, column);
    }
}
