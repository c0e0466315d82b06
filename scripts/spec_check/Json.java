// JSON output shared by ProtoDescribe and BeanDescribe (see their comments).

import java.util.List;
import java.util.Map;

final class Json {
    private Json() {}

    static void print(String[] classes, Describer describer) throws Exception {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < classes.length; i++) {
            if (i > 0) out.append(",\n");
            out.append(quote(classes[i])).append(": ");
            out.append(describer.describe(Class.forName(classes[i])));
        }
        System.out.println(out.append("}"));
    }

    interface Describer {
        String describe(Class<?> cls) throws Exception;
    }

    static String enumJson(List<String> values) {
        StringBuilder b = new StringBuilder("{\"kind\": \"enum\", \"values\": [");
        for (int i = 0; i < values.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(quote(values.get(i)));
        }
        return b.append("]}").toString();
    }

    static String messageJson(Map<String, String> fields, List<String> required) {
        StringBuilder b = new StringBuilder("{\"kind\": \"message\", \"fields\": {");
        int i = 0;
        for (Map.Entry<String, String> e : fields.entrySet()) {
            b.append(i++ == 0 ? "" : ", ").append(quote(e.getKey())).append(": ")
                    .append(quote(e.getValue()));
        }
        b.append("}, \"required\": [");
        for (int j = 0; j < required.size(); j++) {
            b.append(j == 0 ? "" : ", ").append(quote(required.get(j)));
        }
        return b.append("]}").toString();
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
