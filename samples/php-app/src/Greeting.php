<?php

declare(strict_types=1);

namespace App;

/** The sample's page, in a class of its own so that the build's Composer autoloader is used. */
final class Greeting
{
    public static function text(): string
    {
        return "Hello from php-app on Slipway\n";
    }
}
