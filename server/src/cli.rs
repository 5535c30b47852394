//! The administrative subcommands: `parley create-workspace` creates a workspace and its
//! owner from the command line (for scripts and tests) and prints the widget's embed
//! snippet; `parley add-member` adds an admin or operator to it; `parley backup` and `parley restore` copy the SQLite database out and back;
//! `parley precompress` is the build step that writes `.br`/`.gz` beside the built site's
//! files.

use parley_services::workspaces::{CreateWorkspace, create_workspace as create, embed_snippet};
use parley_services::{Config, Services};

/// The help text.
pub const USAGE: &str = "\
usage:
  parley                      serve (same as `parley serve`)
  parley create-workspace --name NAME --email EMAIL --password PASSWORD
                          [--owner-name NAME] [--origin ORIGIN]... [--json]
      Creates a workspace and its owner and prints the widget's embed snippet.
      --origin (repeatable) lists the sites allowed to embed the widget.
      The password may also come from PARLEY_OWNER_PASSWORD.
  parley add-member --workspace ID --email EMAIL --name NAME --role operator|admin
                          [--password PASSWORD]
      Adds a member to the workspace (creating the account when the email is new; the
      password, also from PARLEY_MEMBER_PASSWORD, is needed then).
  parley backup FILE
      Writes a consistent copy of the SQLite database to FILE (which must not exist),
      also while Parley runs. On PostgreSQL, use pg_dump instead.
  parley restore FILE
      Replaces the SQLite database with the backup FILE after checking it. Stop Parley
      first: restore refuses while a server holds the data folder. The replaced
      database is kept beside the new one as parley.db.replaced-<time>.
  parley precompress DIR...
      Writes FILE.br (brotli 11) and FILE.gz (gzip 9) beside every js, wasm, css, html,
      svg, json, txt and xml file under each DIR (the built site; scripts/build-site.sh).

environment: PARLEY_ADDR, PARLEY_DATA_DIR, DATABASE_URL, PARLEY_PUBLIC_URL,
  PARLEY_METRICS_TOKEN, RUST_LOG";

/// Parsed `create-workspace` arguments.
#[derive(Debug, Default, PartialEq, Eq)]
struct Args {
    name: String,
    email: String,
    password: String,
    owner_name: Option<String>,
    origins: Vec<String>,
    json: bool,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut out = Args::default();
    let mut iter = args.iter();
    while let Some(flag) = iter.next() {
        let mut value = || iter.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--name" => out.name = value()?,
            "--email" => out.email = value()?,
            "--password" => out.password = value()?,
            "--owner-name" => out.owner_name = Some(value()?),
            "--origin" => out.origins.push(value()?),
            "--json" => out.json = true,
            other => return Err(format!("unknown option {other:?}\n\n{USAGE}")),
        }
    }
    if out.password.is_empty() {
        out.password = std::env::var("PARLEY_OWNER_PASSWORD").unwrap_or_default();
    }
    for (value, flag) in [(&out.name, "--name"), (&out.email, "--email"), (&out.password, "--password")] {
        if value.is_empty() {
            return Err(format!("{flag} is required\n\n{USAGE}"));
        }
    }
    Ok(out)
}

/// Runs `create-workspace`.
pub async fn create_workspace(config: Config, args: &[String]) -> Result<(), String> {
    let args = parse(args)?;
    let public_url = config.public_url.clone();
    let services = Services::start(config).await.map_err(|err| format!("database: {err}"))?;
    let owner_name =
        args.owner_name.clone().unwrap_or_else(|| args.email.split('@').next().unwrap_or("Owner").to_owned());
    let input = CreateWorkspace {
        workspace_name: args.name,
        owner_name,
        owner_email: args.email,
        owner_password: args.password,
        allowed_origins: args.origins,
    };
    let created = create(&services, input, false).await.map_err(|err| err.to_string())?;
    let snippet = embed_snippet(&public_url, &created.public_key);
    if args.json {
        let line = serde_json::json!({
            "workspace_id": created.workspace_id,
            "public_key": created.public_key,
            "snippet": snippet,
        });
        println!("{line}");
    } else {
        println!("Workspace {} created. Paste this into your site:\n\n{snippet}", created.workspace_id);
    }
    Ok(())
}

/// Parsed `add-member` arguments.
#[derive(Debug, Default, PartialEq, Eq)]
struct MemberArgs {
    workspace: i64,
    email: String,
    name: String,
    role: String,
    password: String,
}

fn parse_member(args: &[String]) -> Result<MemberArgs, String> {
    let mut out = MemberArgs::default();
    let mut iter = args.iter();
    while let Some(flag) = iter.next() {
        let mut value = || iter.next().cloned().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--workspace" => {
                out.workspace = value()?.parse().map_err(|_| format!("--workspace takes a number\n\n{USAGE}"))?
            }
            "--email" => out.email = value()?,
            "--name" => out.name = value()?,
            "--role" => out.role = value()?,
            "--password" => out.password = value()?,
            other => return Err(format!("unknown option {other:?}\n\n{USAGE}")),
        }
    }
    if out.password.is_empty() {
        out.password = std::env::var("PARLEY_MEMBER_PASSWORD").unwrap_or_default();
    }
    if out.workspace <= 0 {
        return Err(format!("--workspace is required\n\n{USAGE}"));
    }
    for (value, flag) in [(&out.email, "--email"), (&out.name, "--name"), (&out.role, "--role")] {
        if value.is_empty() {
            return Err(format!("{flag} is required\n\n{USAGE}"));
        }
    }
    Ok(out)
}

/// Runs `add-member`: acts as Parley itself in the workspace, which may add admins and
/// operators (owners are made by `create-workspace`).
pub async fn add_member(config: Config, args: &[String]) -> Result<(), String> {
    use parley_services::members::{AddMember, add_member as add};
    let args = parse_member(args)?;
    let role: parley_types::Role = args.role.parse().map_err(|_| format!("--role is operator or admin\n\n{USAGE}"))?;
    if role == parley_types::Role::Owner {
        return Err("owners are made by create-workspace".into());
    }
    let services = Services::start(config).await.map_err(|err| format!("database: {err}"))?;
    let actor = parley_services::Actor::System(parley_types::WorkspaceId(args.workspace));
    parley_services::workspaces::get(&services.db, actor.own_workspace())
        .await
        .map_err(|_| format!("no workspace {}", args.workspace))?;
    let input = AddMember { email: args.email, name: args.name, password: args.password, role };
    let member = add(&services, &actor, input).await.map_err(|err| err.to_string())?;
    println!("{} added to workspace {} as {}.", member.name, args.workspace, member.role);
    Ok(())
}

/// The one FILE argument of `backup` and `restore`.
fn file_argument(command: &str, args: &[String]) -> Result<std::path::PathBuf, String> {
    match args {
        [file] if !file.starts_with('-') => Ok(file.into()),
        _ => Err(format!("usage: parley {command} FILE\n\n{USAGE}")),
    }
}

/// Runs `backup FILE`.
pub async fn backup(config: Config, args: &[String]) -> Result<(), String> {
    let file = file_argument("backup", args)?;
    let bytes = crate::backup::backup(&config, &file).await?;
    println!("Backed up the database to {} ({bytes} bytes).", file.display());
    Ok(())
}

/// Runs `restore FILE`.
pub async fn restore(config: Config, args: &[String]) -> Result<(), String> {
    let file = file_argument("restore", args)?;
    let restored = crate::backup::restore(&config, &file).await?;
    println!("Restored {} into {}.", file.display(), restored.database.display());
    if let Some(previous) = restored.previous {
        println!("The database it replaced is kept as {}; delete it once you are satisfied.", previous.display());
    }
    Ok(())
}

/// Runs `precompress`: prints one line per file and a total.
pub fn precompress(dirs: &[String]) -> Result<(), String> {
    if dirs.is_empty() {
        return Err(format!("precompress needs at least one folder\n\n{USAGE}"));
    }
    let (mut raw, mut brotli, mut gzip) = (0, 0, 0);
    for dir in dirs {
        let done = precompress::precompress_dir(std::path::Path::new(dir)).map_err(|err| format!("{dir}: {err}"))?;
        for file in done {
            println!("{:>10} {:>10} {:>10}  {}", file.raw, file.brotli, file.gzip, file.path.display());
            (raw, brotli, gzip) = (raw + file.raw, brotli + file.brotli, gzip + file.gzip);
        }
    }
    println!("{raw:>10} {brotli:>10} {gzip:>10}  total (raw, brotli, gzip bytes)");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_every_option() {
        let args = parse(&strings(&[
            "--name",
            "Acme",
            "--email",
            "a@acme.io",
            "--password",
            "secret123",
            "--origin",
            "https://a.io",
            "--origin",
            "https://b.io",
            "--json",
        ]))
        .unwrap();
        assert_eq!(args.origins, vec!["https://a.io", "https://b.io"]);
        assert!(args.json);
    }

    #[test]
    fn missing_or_unknown_options_are_explained() {
        assert!(parse(&strings(&["--name", "Acme"])).unwrap_err().starts_with("--email is required"));
        assert!(parse(&strings(&["--nmae", "Acme"])).unwrap_err().starts_with("unknown option"));
        assert!(parse(&strings(&["--name"])).unwrap_err().starts_with("--name needs a value"));
    }

    #[test]
    fn backup_and_restore_take_exactly_one_file() {
        assert_eq!(file_argument("backup", &strings(&["b.db"])).unwrap(), std::path::PathBuf::from("b.db"));
        assert!(file_argument("backup", &strings(&[])).unwrap_err().starts_with("usage: parley backup FILE"));
        assert!(file_argument("restore", &strings(&["a", "b"])).is_err());
        assert!(file_argument("restore", &strings(&["--force"])).is_err());
        let member = parse_member(&strings(&[
            "--workspace",
            "3",
            "--email",
            "a@x.test",
            "--name",
            "Ada",
            "--role",
            "operator",
            "--password",
            "pw",
        ]))
        .unwrap();
        assert_eq!((member.workspace, member.role.as_str()), (3, "operator"));
        assert!(parse_member(&strings(&["--email", "a@x.test"])).unwrap_err().contains("--workspace is required"));
        assert!(parse_member(&strings(&["--workspace", "x"])).unwrap_err().contains("takes a number"));
    }
}
