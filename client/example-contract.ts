// The example `Charter: Open an Example Contract` opens in a new editor when
// the folder has no .charter file (no vscode import: the unit tests analyse it).

/** A complete, self-contained example: it analyses on its own in an empty folder. */
export const EXAMPLE = `## Who may work on the shop's data.
group analysts
group sales-data

subject attributes {
  clearance: number
}

context attributes {
  mfa: bool
}

principal alice {
  member of analysts
  clearance 2
}

principal sam {
  member of sales-data
}

classification pii "Personally identifiable information" { level 3 }
classification pii.email { level 3 }

domain sales {
  owner sales-data
}

## One row per order placed in the web shop.
contract sales.orders {
  field order_id: uuid key
  field customer_email: string tagged pii.email
  field amount: decimal
}

policy orders-for-analysts on sales.orders {
  allow read to analysts when subject.clearance >= 2 and context.mfa
  mask customer_email with hash for analysts
}

test analysts-see-hashed-email {
  given context { mfa true }
  expect alice can read sales.orders.amount
  expect alice sees sales.orders.customer_email masked with hash
}
`;
