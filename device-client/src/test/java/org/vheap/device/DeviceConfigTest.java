package org.vheap.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class DeviceConfigTest {
    /**
     * A device process gives each app a copy of its configuration: every setting must survive the copy (a field
     * added without its line in {@code copy()} silently reverts to its default for apps a device starts; the file
     * space did).
     */
    @Test
    void aCopyCarriesEverySetting() throws Exception {
        DeviceConfig config = new DeviceConfig();
        int changed = 0;
        for (Field f : DeviceConfig.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            f.setAccessible(true);
            f.set(config, otherValue(f, f.get(config), changed++));
        }
        DeviceConfig copy = config.copy();
        for (Field f : DeviceConfig.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                f.setAccessible(true);
                assertThat(f.get(copy)).as("copy of %s", f.getName()).isEqualTo(f.get(config));
            }
        }
        assertThat(changed).isGreaterThan(25);
    }

    /** A value of the field's type that differs from {@code current} (and, for references, from any default). */
    private static Object otherValue(Field f, Object current, int n) {
        Class<?> type = f.getType();
        if (type == boolean.class) {
            return !(Boolean) current;
        }
        if (type == int.class) {
            return (Integer) current + 7 + n;
        }
        if (type == long.class) {
            return (Long) current + 7 + n;
        }
        if (type == String.class) {
            return "other-" + f.getName();
        }
        if (type == Duration.class) {
            return Duration.ofMillis(4321 + n);
        }
        if (type == java.util.List.class) {
            ArrayList<Object> list = new ArrayList<>();
            list.add(null);   // unlike the default (empty) list
            return list;
        }
        if (type.isInterface()) {
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, 
                    (proxy, method, args) -> method.getName().equals("equals") ? proxy == args[0] : null);
        }
        throw new AssertionError("no other value for " + f + ": teach this test its type");
    }
}
