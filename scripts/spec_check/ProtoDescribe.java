// Describes the protobuf classes an Alluxio 2.x proxy binds option JSON to.
//
//   java -cp <2.x server classpath>:<classes> ProtoDescribe CLASS...
//
// Each class is a protobuf message or enum (alluxio.grpc.*POptions, ...); its fields come from
// the message descriptor: the proxy binds JSON with Jackson's protobuf module, whose JSON names
// are the proto field names (Alluxio writes them in lowerCamelCase). Output: see Json.java.
// Types: bool, int32, int64, float, double, string, bytes, enum:CLASS, msg:CLASS, list:TYPE,
// map:TYPE; "required" lists the proto2 required fields.

import com.google.protobuf.Descriptors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class ProtoDescribe {
    private ProtoDescribe() {}

    public static void main(String[] args) throws Exception {
        Json.print(args, ProtoDescribe::describe);
    }

    static String describe(Class<?> cls) throws Exception {
        Object descriptor = cls.getMethod("getDescriptor").invoke(null);
        if (descriptor instanceof Descriptors.EnumDescriptor) {
            List<String> values = new ArrayList<>();
            for (Descriptors.EnumValueDescriptor v :
                    ((Descriptors.EnumDescriptor) descriptor).getValues()) {
                values.add(v.getName());
            }
            return Json.enumJson(values);
        }
        Descriptors.Descriptor message = (Descriptors.Descriptor) descriptor;
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (Descriptors.FieldDescriptor f : message.getFields()) {
            String type;
            if (f.isMapField()) {
                type = "map:" + protoType(f.getMessageType().findFieldByName("value"));
            } else if (f.isRepeated()) {
                type = "list:" + protoType(f);
            } else {
                type = protoType(f);
            }
            fields.put(f.getName(), type);
            if (f.isRequired()) required.add(f.getName());
        }
        return Json.messageJson(fields, required);
    }

    private static String protoType(Descriptors.FieldDescriptor f) {
        switch (f.getJavaType()) {
            case BOOLEAN: return "bool";
            case INT: return "int32";
            case LONG: return "int64";
            case FLOAT: return "float";
            case DOUBLE: return "double";
            case STRING: return "string";
            case BYTE_STRING: return "bytes";
            case ENUM: return "enum:" + javaName(f.getEnumType().getFile(), f.getEnumType().getName(),
                    f.getEnumType().getContainingType());
            default: return "msg:" + javaName(f.getMessageType().getFile(),
                    f.getMessageType().getName(), f.getMessageType().getContainingType());
        }
    }

    private static String javaName(Descriptors.FileDescriptor file, String name,
                                   Descriptors.Descriptor outer) {
        if (outer != null) {
            return javaName(outer.getFile(), outer.getName(), outer.getContainingType()) + "$"
                    + name;
        }
        String pkg = file.getOptions().hasJavaPackage() ? file.getOptions().getJavaPackage()
                : file.getPackage();
        if (file.getOptions().getJavaMultipleFiles()) return pkg + "." + name;
        // Without java_multiple_files, top-level types are nested in the outer class.
        return pkg + "." + outerClassName(file) + "$" + name;
    }

    private static String outerClassName(Descriptors.FileDescriptor file) {
        if (file.getOptions().hasJavaOuterClassname()) {
            return file.getOptions().getJavaOuterClassname();
        }
        String base = file.getName().replaceAll(".*/", "").replaceAll("\\.proto$", "");
        StringBuilder b = new StringBuilder();
        boolean upper = true;
        for (char c : base.toCharArray()) {
            if (c == '_' || c == '-') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }

}
