// Inheritance, super calls, overriding, overloading resolution, field hiding, static vs virtual dispatch.
public class O01Inheritance {
    static class Animal {
        String name = "animal";
        static String kind() { return "Animal.kind"; }
        Animal() { System.out.println("Animal() sees " + describe()); }
        String describe() { return "Animal " + name; }
        String speak() { return "..."; }
        String greet(Animal other) { return "Animal greets Animal"; }
        String greet(Dog other) { return "Animal greets Dog"; }
    }

    static class Dog extends Animal {
        String name = "dog";
        final String sound;
        static String kind() { return "Dog.kind"; }
        Dog() { this("woof"); System.out.println("Dog()"); }
        Dog(String sound) { super(); this.sound = sound; System.out.println("Dog(String) " + sound); }
        @Override String describe() { return "Dog " + name + " sound=" + sound + " super=" + super.describe(); }
        @Override String speak() { return sound; }
        @Override String greet(Animal other) { return "Dog greets Animal"; }
        String superSpeak() { return super.speak(); }
    }

    static class Puppy extends Dog {
        Puppy() { super("yip"); }
        @Override String speak() { return super.speak() + "!" + super.superSpeak(); }
        @Override String greet(Dog other) { return "Puppy greets Dog"; }
    }

    public static void main(String[] args) {
        Animal a = new Animal();
        Animal d = new Dog();
        Dog p = new Puppy();
        System.out.println(a.describe());
        System.out.println(d.describe());
        System.out.println(p.describe());
        System.out.println(a.speak() + " " + d.speak() + " " + p.speak());
        System.out.println("field via static type: " + d.name + " " + ((Dog) d).name + " " + ((Animal) p).name);
        System.out.println(Animal.kind() + " " + Dog.kind());
        Animal[] all = {a, d, p};
        for (Animal x : all) {
            for (Animal y : all) {
                System.out.print(x.greet(y) + " | ");
            }
            System.out.println(x.greet((Dog) p) + " | " + x.greet(p));
        }
        System.out.println(a.getClass().getName() + " " + d.getClass().getSimpleName() + " " + p.getClass().getSuperclass().getSimpleName());
        System.out.println((p instanceof Animal) + " " + (a instanceof Dog) + " " + Dog.class.isInstance(p) + " " + Animal.class.isAssignableFrom(Puppy.class));
    }
}
