"""Everything Qt: the main window, table model, form, summary panel, workers and dialogs."""
