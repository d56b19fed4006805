"""Test-wide set-up: the pg extensions ansinh needs exist in the test database."""
