// A main class whose superclass's class file is missing: the launcher cannot load the main class and says which
// class was not found (NoClassDefFoundError, exit 1).
// @delete-class R08Base
// @exit 1
public class R08MainClassMissingSuperclass extends R08Base {
    public static void main(String[] args) {
        System.out.println("never printed");
    }
}

class R08Base {
}
