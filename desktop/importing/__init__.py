"""Reading spreadsheet files (.xlsx/.xlsm, .xls, .csv) and matching their header rows; Qt-free."""
