select seal('realm-1', 5000);
