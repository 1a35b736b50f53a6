//! The `Examples:` sections of `--help` for the commands whose module has none of its own:
//! the command groups and the subcommands of filter, links, abtest and phone. Every command
//! must have one (`tests/help.rs` walks the tree); each example runs as written from a clone of
//! the repository.

/// `smskit --help`.
pub(crate) const SMSKIT: &str = "\
Examples:
  smskit segment \"Don’t miss our sale — 20% off\"
  smskit phone normalize --country BE \"0470 12 34 56\"
  smskit abtest significance --version A:120/2000 --version B:150/2000
  smskit send --provider stub --to +32470123456 --body \"Hello\"
  smskit contacts import crates/smskit-cli/testdata/contacts.csv --country BE --list Newsletter

A campaign, step by step, over a database (--db: a SQLite file, default smskit.db, or a
postgres:// URL): contacts import, blacklist add, lists optout, mailing create, mailing send,
report twilio, mailing stats. `smskit serve` answers the world over the same database: short
links, opt-out pages, provider webhooks, the dashboard.
`smskit help <COMMAND>` shows the options and examples of each command.";

/// `smskit filter --help` (the dataset format is in the help of `--data`).
pub(crate) const FILTER: &str = "\
Examples:
  smskit filter --normalize --domain \"[('name', 'ilike', 'jo'), ('active', '=', True)]\"
  smskit filter --distribute-not --domain \"['!', '&', ('user_id', '=', 4), ('partner_id', 'in', [1, 2])]\"
  # with the dataset of the repository's tests:
  DATA=crates/smskit-filter/testdata/datasets/partners.json
  smskit filter --data $DATA --model res.partner --domain \"[('country_id.name', '=', 'Belgium')]\"
  smskit filter --data $DATA --model res.partner --explain \\
    --domain \"[('birthday', '>', 'today -30y')]\" --now 2024-05-01T00:00:00Z
  echo \"[('category_id.name', '=', 'VIP')]\" | smskit filter --data $DATA --model res.partner --domain -

The dataset format is in the help of --data (`smskit filter --help`).

Exit status: 0 done, 1 the dataset cannot be read, 2 an invalid domain or dataset.";

/// `smskit links --help`.
pub(crate) const LINKS: &str = "\
Examples:
  smskit links rewrite --base https://sho.rt \"Spring sale: https://shop.example/sale?ref=sms\"";

/// `smskit links rewrite --help`.
pub(crate) const LINKS_REWRITE: &str = "\
Examples:
  smskit links rewrite --base https://sho.rt \"Spring sale: https://shop.example/sale?ref=sms\"
  echo \"New arrivals https://shop.example/new\" | \\
    smskit links rewrite --base https://sho.rt --campaign spring --source sms --medium sms --json
  smskit links rewrite --base https://sho.rt --exclude-prefix https://shop.example/account \\
    \"Sale https://shop.example/sale - your account https://shop.example/account\"
  smskit links rewrite --base https://sho.rt --seed 7 \"Same codes every run: https://shop.example\"";

/// `smskit abtest --help`.
pub(crate) const ABTEST: &str = "\
Examples:
  smskit abtest significance --version A:120/2000 --version B:150/2000
  smskit abtest sample-size --baseline 0.05 --mde 0.01";

/// `smskit abtest significance --help`.
pub(crate) const ABTEST_SIGNIFICANCE: &str = "\
Examples:
  smskit abtest significance --version A:120/2000 --version B:150/2000
  smskit abtest significance --version control:40/1000 --version short:71/1000 \\
    --version emoji:52/1000 --alpha 0.1
  smskit abtest significance --version A:200/4000 --version B:260/4000 --json";

/// `smskit abtest sample-size --help`.
pub(crate) const ABTEST_SAMPLE_SIZE: &str = "\
Examples:
  smskit abtest sample-size --baseline 0.05 --mde 0.01
  smskit abtest sample-size --baseline 0.10 --mde -0.02 --alpha 0.01 --power 0.9 --json";

/// `smskit phone --help`.
pub(crate) const PHONE: &str = "\
Examples:
  smskit phone normalize --country BE \"0470 12 34 56\" \"+33 6 12 34 56 78\"";

/// `smskit phone normalize --help`.
pub(crate) const PHONE_NORMALIZE: &str = "\
Examples:
  smskit phone normalize +32470123456 \"0032 470 12 34 56\"
  smskit phone normalize --country BE \"0470 12 34 56\" \"0470.12.34.56\"
  printf '06 12 34 56 78\\n+44 7400 123456\\n' | smskit phone normalize --country FR --json";

/// `smskit webhook --help` and `smskit webhook verify --help`.
pub(crate) const WEBHOOK: &str = "\
Examples:
  smskit webhook verify twilio --url 'https://mycompany.com/myapp.php?foo=1&bar=2' \\
    --token 12345 --signature 0/KCTR6DLpKmkAf8muzZqo1nDgQ= \\
    --param CallSid=CA1234567890ABCDE --param Caller=+12349013030 --param Digits=1234 \\
    --param From=+12349013030 --param To=+18005551212";

/// `smskit contacts --help`.
pub(crate) const CONTACTS: &str = "\
Examples:
  smskit contacts import crates/smskit-cli/testdata/contacts.csv --country BE --list Newsletter
  smskit contacts list

Every campaign command works on the database named by --db (default: smskit.db in the current
folder, or $SMSKIT_DB), created on first use: a SQLite file, or PostgreSQL given as a URL,
  smskit contacts list --db postgres://smskit@db.example/crm
  smskit contacts list --db 'postgres://smskit@db.example/crm?options=-csearch_path%3Dsms'
(the second keeps the tables in the existing schema sms).";

/// `smskit blacklist --help`.
pub(crate) const BLACKLIST: &str = "\
Examples:
  smskit blacklist add +32470123456 --reason \"replied STOP\"
  smskit blacklist import crates/smskit-cli/testdata/blacklist.csv --country BE
  smskit blacklist remove +32470123456";

/// `smskit lists --help`.
pub(crate) const LISTS: &str = "\
Examples:
  smskit contacts import crates/smskit-cli/testdata/contacts.csv --country BE --list Customers
  smskit lists create Newsletter --public
  smskit lists show
  smskit lists optout Newsletter +32470123456";

/// `smskit mailing --help`.
pub(crate) const MAILING: &str = "\
Examples:
  smskit contacts import crates/smskit-cli/testdata/contacts.csv --country BE --list Newsletter
  ID=$(smskit mailing create --name Spring --list Newsletter --body \"Hi {{ object.name }}!\")
  smskit mailing send $ID --provider stub
  smskit mailing stats $ID --json
  smskit mailing traces $ID";

/// `smskit report --help`.
pub(crate) const REPORT: &str = "\
Examples:
  smskit report twilio --param MessageSid=SM1f0e8ae6ade43cb3c0ce4525424e404f \\
    --param MessageStatus=delivered
  smskit report vonage --param messageId=0A0000001234567B --param status=delivered";
