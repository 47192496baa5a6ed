package io.bestow;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.modulith.Modulithic;

/** Bestow: customer gifting, rewards and referrals in one self-hosted service. */
@SpringBootApplication
@Modulithic(sharedModules = "shared")
public class Bestow {

    public static void main(String[] args) {
        SpringApplication.run(Bestow.class, args);
    }
}
