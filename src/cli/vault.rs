//! The commands of encryption at rest and retention: `keys new`, `purge`,
//! `encrypt-archive`, and the vault every command builds from the config.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::SystemTime;

use clap::{Args, Subcommand};

use super::{CommonArgs, fail, print_out};
use crate::config::{self, Config};
use crate::storage::DataDir;
use crate::vault::{ExposeSecret, PassphraseSource, TerminalPrompt, Vault, keys, migrate, retention};

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Make a new identity (secret key) for encryption at rest and print its public key.
    New {
        /// Where to write it (default: identity.txt in the config dir). Never overwritten.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Protect the identity file itself with a passphrase (asked twice).
        #[arg(long)]
        passphrase: bool,
    },
}

/// `holdspace purge` and `holdspace encrypt-archive`.
#[derive(Debug, Args)]
pub struct ArchiveArgs {
    /// Only list what would be done.
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

/// The vault the config asks for, asking a passphrase on the terminal when one is needed.
pub fn open_vault(config: &Config) -> Result<Vault, String> {
    Vault::from_config(config.encryption.as_ref(), Arc::new(TerminalPrompt)).map_err(|e| e.to_string())
}

pub fn keys(command: KeysCommand) -> ExitCode {
    let KeysCommand::New { output, passphrase } = command;
    let Some(path) = output.or_else(keys::default_identity_path) else {
        return fail("this platform has no config dir; pass -o FILE");
    };
    // The config must name it from anywhere.
    let path = std::path::absolute(&path).unwrap_or(path);
    let protect = if passphrase {
        let ask = TerminalPrompt;
        let first = ask.passphrase("for the new identity file");
        let again = ask.passphrase("the same again, to confirm");
        match (first, again) {
            (Ok(first), Ok(again)) if first.expose_secret() == again.expose_secret() => Some(first),
            (Ok(_), Ok(_)) => return fail("the two passphrases differ; nothing was written"),
            (Err(error), _) | (_, Err(error)) => return fail(&error.to_string()),
        }
    } else {
        None
    };
    let created = chrono::Local::now().to_rfc3339();
    let made = match keys::write_new_identity(&path, protect, &created) {
        Ok(made) => made,
        Err(error) => return fail(&format!("{error} (an existing identity is never overwritten)")),
    };
    eprintln!(
        "Wrote your new identity (secret key) to {} (readable by you only). Its public key:",
        made.path.display()
    );
    let printed = print_out(&format!("{}\n", made.public_key));
    eprintln!("{}", after_keys_new(&made.path, &made.public_key));
    printed
}

/// What to do next, and the warning every new key needs.
fn after_keys_new(path: &Path, public_key: &str) -> String {
    format!(
        "
KEEP THIS FILE SAFE, AND BACK IT UP. If it is lost, everything encrypted to it is lost
too: nobody, not holdspace, not the age tools, can open those files again.

So that one lost key does not lose the archive, encrypt to a second key kept elsewhere,
e.g. your clinic's: ask them for their public key (age1…) and list both in the config:

    encryption: (
        recipients: [\"{public_key}\", \"age1…the clinic's key\"],
        identity: \"{}\",
    ),

Then `holdspace encrypt-archive` encrypts what is already saved.",
        path.display()
    )
}

/// The config and data dir a command over the archive uses.
fn archive_setup(common: &CommonArgs) -> (Config, DataDir) {
    let config = config::resolve(common.config.as_deref(), false);
    let data = DataDir::resolve(common.data_dir.as_deref(), config.data_dir.as_deref());
    (config, data)
}

pub fn purge(args: &ArchiveArgs) -> ExitCode {
    let (config, data) = archive_setup(&args.common);
    let retention = config.retention;
    if retention == config::Retention::default() {
        println!(
            "No retention is set in the config, so nothing is ever removed. To set one: \
             retention: (journals: \"90d\", exports: \"30d\")"
        );
        return ExitCode::SUCCESS;
    }
    let due = retention::due_files(&data, &retention, SystemTime::now());
    if due.is_empty() {
        println!(
            "Nothing is older than the retention periods in {}.",
            data.root.display()
        );
        return ExitCode::SUCCESS;
    }
    for file in &due {
        let verb = if args.dry_run { "would remove" } else { "removing" };
        println!(
            "{verb} {} ({}, {} days old)",
            file.path.display(),
            file.kind.label(),
            file.age_days
        );
    }
    if args.dry_run {
        println!(
            "{} file(s) are due; run without --dry-run to remove them.",
            due.len()
        );
        return ExitCode::SUCCESS;
    }
    let purged = retention::purge(&data, &due);
    println!("Removed {} file(s).", purged.removed.len());
    for (path, error) in &purged.failed {
        eprintln!("holdspace: could not remove {}: {error}", path.display());
    }
    if purged.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

pub fn encrypt_archive(args: &ArchiveArgs) -> ExitCode {
    let (config, data) = archive_setup(&args.common);
    let vault = match open_vault(&config) {
        Ok(vault) if vault.is_encrypting() => vault,
        Ok(_) => {
            return fail(
                "encryption is off: set `encryption: (…)` in the config first (see `holdspace keys new`)",
            );
        }
        Err(error) => return fail(&error),
    };
    let steps = migrate::plan(&data);
    if steps.is_empty() {
        println!("Every file in {} is encrypted already.", data.root.display());
        return ExitCode::SUCCESS;
    }
    if args.dry_run {
        for step in &steps {
            println!("would encrypt {}", step.path.display());
        }
        println!(
            "{} file(s) to encrypt; run without --dry-run to do it.",
            steps.len()
        );
        return ExitCode::SUCCESS;
    }
    let mut failed = 0;
    for step in &steps {
        match migrate::run_step(step, &vault) {
            Ok(()) => println!("encrypted {}", step.path.display()),
            Err(error) => {
                failed += 1;
                eprintln!("holdspace: {error}");
            }
        }
    }
    println!(
        "Encrypted {} of {} file(s).{}",
        steps.len() - failed,
        steps.len(),
        if failed > 0 {
            " The others are unchanged; run it again once fixed."
        } else {
            ""
        }
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
