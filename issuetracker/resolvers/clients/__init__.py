"""What API clients may use: hourly budgets of cost points, and registered documents."""
