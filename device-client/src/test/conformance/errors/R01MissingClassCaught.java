// @delete-class MissingHelper
// @delete-class MissingBase
// A class referenced by the program is missing at run time (the harness deletes its class file after compiling):
// NoClassDefFoundError is thrown lazily, at first use, and can be caught; a subclass of a missing class cannot load.
public class R01MissingClassCaught {
    static class UsesHelper {
        static String call() { return MissingHelper.greet(); }
    }

    public static void main(String[] args) {
        System.out.println("start: the missing class is not needed yet");
        try {
            System.out.println(UsesHelper.call());
        } catch (NoClassDefFoundError e) {
            System.out.println("caught " + e.getClass().getName() + ": " + e.getMessage());
            System.out.println("cause " + e.getCause());
        }
        try {
            System.out.println(UsesHelper.call());
        } catch (NoClassDefFoundError e) {
            System.out.println("again " + e.getMessage());
        }
        try {
            Object o = new ChildOfMissing();
            System.out.println(o);
        } catch (NoClassDefFoundError e) {
            System.out.println("subclass: " + e.getMessage());
        }
        try {
            Class.forName("MissingHelper");
        } catch (ClassNotFoundException e) {
            System.out.println("forName: " + e);
        }
        try {
            Class.forName("does.not.Exist", false, R01MissingClassCaught.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            System.out.println("forName: " + e.getMessage());
        }
        Object ok = new Object[]{"fine"};
        System.out.println("still running " + ((Object[]) ok)[0]);
    }
}

class MissingHelper {
    static String greet() { return "hello from helper"; }
}

class MissingBase { }

class ChildOfMissing extends MissingBase { }
