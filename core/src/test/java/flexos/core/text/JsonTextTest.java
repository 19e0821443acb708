package flexos.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void escapesWhatJsonRequiresAndNothingElse() {
        assertEquals("\"plain é\"", JsonText.quote("plain é"));
        assertEquals("\"a\\\"b\\\\c\"", JsonText.quote("a\"b\\c"));
        assertEquals("\"\\n\\r\\t\\u0001\"", JsonText.quote("\n\r\t\u0001"));
    }
}
