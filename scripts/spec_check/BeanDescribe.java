// Describes the Java beans an Alluxio 1.x proxy binds option JSON to.
//
//   java -cp <1.x server classpath>:<classes> BeanDescribe CLASS...
//
// Each class is a bean or an enum (alluxio.client.file.options.*Options, ...), bound by a plain
// Jackson ObjectMapper as Jersey's JacksonFeature does. The property names are the ones Jackson
// itself reports as known (from the UnrecognizedPropertyException of a body with an unknown
// field, in Jackson's order); their types come from the setter (or field) Jackson would use.
// Output and types: see Json.java and ProtoDescribe.java. Java 8 / Jackson 2.6 APIs only.

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class BeanDescribe {
    private BeanDescribe() {}

    public static void main(String[] args) throws Exception {
        Json.print(args, BeanDescribe::describe);
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static String describe(Class<?> cls) throws Exception {
        if (cls.isEnum()) {
            List<String> values = new ArrayList<>();
            for (Object c : cls.getEnumConstants()) values.add(((Enum<?>) c).name());
            return Json.enumJson(values);
        }
        Collection<Object> known;
        try {
            MAPPER.readValue("{\"\\u0000spec-check\": 0}", cls);
            throw new IllegalStateException(cls + " accepted an unknown property");
        } catch (UnrecognizedPropertyException e) {
            known = e.getKnownPropertyIds();
        }
        JavaType type = MAPPER.constructType(cls);
        BeanDescription bean = MAPPER.getDeserializationConfig().introspect(type);
        Map<String, Type> types = new LinkedHashMap<>();
        for (BeanPropertyDefinition p : bean.findProperties()) {
            AnnotatedMember m = p.getMutator();
            if (m == null) continue;
            if (m.getMember() instanceof Method) {
                types.put(p.getName(), ((Method) m.getMember()).getGenericParameterTypes()[0]);
            } else if (m.getMember() instanceof Field) {
                types.put(p.getName(), ((Field) m.getMember()).getGenericType());
            }
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (Object name : known) {
            Type t = types.get(name.toString());
            fields.put(name.toString(), t == null ? "unknown" : beanType(t));
        }
        return Json.messageJson(fields, new ArrayList<String>());
    }

    private static String beanType(Type t) {
        if (t instanceof ParameterizedType) {
            ParameterizedType p = (ParameterizedType) t;
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] a = p.getActualTypeArguments();
            if (Map.class.isAssignableFrom(raw)) return "map:" + beanType(a[1]);
            if (Collection.class.isAssignableFrom(raw)) return "list:" + beanType(a[0]);
            return "msg:" + raw.getName();
        }
        Class<?> c = (Class<?>) t;
        if (c == boolean.class || c == Boolean.class) return "bool";
        if (c == int.class || c == Integer.class) return "int32";
        if (c == long.class || c == Long.class) return "int64";
        if (c == float.class || c == Float.class) return "float";
        if (c == double.class || c == Double.class) return "double";
        if (c == String.class) return "string";
        if (c == byte[].class) return "bytes";
        if (c.isEnum()) return "enum:" + c.getName();
        return "msg:" + c.getName();
    }

}
