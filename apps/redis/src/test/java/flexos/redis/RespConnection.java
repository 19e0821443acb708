package flexos.redis;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A raw TCP client that speaks RESP bytes, to see exactly what the server sends. */
final class RespConnection implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RespConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    void send(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    static String request(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return b.toString();
    }

    /** Sends a command and reads its whole reply. */
    String call(String... args) throws IOException {
        send(request(args));
        return readReply();
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed after " + b);
            }
            b.write(c);
            if (prev == '\r' && c == '\n') {
                return b.toString(StandardCharsets.ISO_8859_1);
            }
            prev = c;
        }
    }

    /** Reads one complete RESP2 reply, verbatim. */
    String readReply() throws IOException {
        String head = line();
        StringBuilder reply = new StringBuilder(head);
        char type = head.charAt(0);
        long n = type == '$' || type == '*' ? Long.parseLong(head.substring(1, head.length() - 2)) : 0;
        if (type == '$' && n >= 0) {
            byte[] body = in.readNBytes((int) n + 2);
            reply.append(new String(body, StandardCharsets.ISO_8859_1));
        } else if (type == '*') {
            for (long i = 0; i < n; i++) {
                reply.append(readReply());
            }
        }
        return reply.toString();
    }

    /** Whether the server closed the connection (reads end of stream). */
    boolean closedByServer() throws IOException {
        return in.read() < 0;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
