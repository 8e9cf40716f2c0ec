#!/usr/bin/env bash
# Creates the broker users of the compose stack and the secret files the containers read.
#
#   sudo docker/create-broker-users.sh            # from the repository root
#
# Writes, in docker/secrets/ (or $CG_SECRETS_DIR):
#   mosquitto_passwd_worker       Mosquitto password file (hashed) of the worker's listener: cubeguardian
#   mosquitto_passwd              Mosquitto password file (hashed) of the clients' listener: the others
#   mqtt_worker_password          password of the worker's user "cubeguardian"
#   mqtt_discord_password         password of the Discord front-end's user "discord"
#   mqtt_homeassistant_password   password to type into Home Assistant's MQTT integration
#   mqtt_nodered_password         password to type into Node-RED's MQTT broker node
#   mqtt_cli_password             password of the command-line client's user "cli"
#   discord_token                 the Discord bot token (empty unless you give one)
#   ssh_key, ssh_key.pub          an Ed25519 key for the worker's SSH logins, if none exists
#
# Passwords come from the environment when set (CG_PASSWORD_CUBEGUARDIAN, CG_PASSWORD_DISCORD,
# CG_PASSWORD_HOMEASSISTANT, CG_PASSWORD_NODERED, CG_PASSWORD_CLI), otherwise from a prompt (empty answer: a
# random one), otherwise (no terminal) are random. DISCORD_TOKEN works the same way.
# Existing files are kept unless CG_OVERWRITE=1: run it again to fix ownership only.
# No password is ever passed on a command line or printed.
#
# Ownership: the containers read these files as their own users, so when run as root this
# script gives the Mosquitto password files and docker/mosquitto/acl to uid 1883 (Mosquitto in
# eclipse-mosquitto) and the worker's and front-end's files (mqtt_cli_password included: the
# worker's container runs the CLI too) to uid 10001 (the CubeGuardian image), all mode 0400.
# Override with MOSQUITTO_UID/_GID, CUBEGUARDIAN_UID/_GID. Run without root, it only prints what to chown.
# mosquitto_passwd: the local one, else the one inside the eclipse-mosquitto image (docker run).
# CG_SSH_KEY=skip leaves the SSH key alone. CG_ACL_FILE: the ACL whose owner and mode it sets
# (default docker/mosquitto/acl).
set -euo pipefail
umask 077

here="$(cd "$(dirname "$0")" && pwd)"
secrets="${CG_SECRETS_DIR:-$here/secrets}"
mosquitto_uid="${MOSQUITTO_UID:-1883}"
cubeguardian_uid="${CUBEGUARDIAN_UID:-10001}"
mosquitto_gid="${MOSQUITTO_GID:-$mosquitto_uid}"
cubeguardian_gid="${CUBEGUARDIAN_GID:-$cubeguardian_uid}"
mosquitto_image="${MOSQUITTO_IMAGE:-eclipse-mosquitto:2}"
overwrite="${CG_OVERWRITE:-0}"
users=(cubeguardian discord homeassistant nodered cli)
# The worker has a listener of its own (mosquitto.conf): its user is only in that password file.
worker_users=(cubeguardian)
client_users=(discord homeassistant nodered cli)

mkdir -p "$secrets"
chmod 0755 "$secrets"   # the files inside are private; the directory only has to be traversable

interactive=0
if [ -t 0 ] && [ -t 1 ]; then
  interactive=1
fi

random_password() {
  # 32 characters from [A-Za-z0-9]: no quoting trouble in any client's settings form
  LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32 || true
}

secret_file_for() {
  case "$1" in
    cubeguardian) echo mqtt_worker_password ;;
    *) echo "mqtt_$1_password" ;;
  esac
}

# $1 variable name, $2 prompt: prints the value (never echoes it to the terminal)
ask() {
  local name="$1" prompt="$2" value="${!1:-}"
  if [ -z "$value" ] && [ "$interactive" = 1 ]; then
    read -r -s -p "$prompt" value </dev/tty
    echo >/dev/tty
  fi
  printf '%s' "$value"
}

write_secret() {   # $1 file, $2 value; one trailing newline, as the worker expects
  local file="$secrets/$1"
  if [ -e "$file" ] && [ "$overwrite" != 1 ]; then
    echo "kept     $file"
    return 1
  fi
  printf '%s\n' "$2" >"$file.tmp"
  chmod 0600 "$file.tmp"
  mv -f "$file.tmp" "$file"
  echo "wrote    $file"
}

# 1. One password per user, each in its own secret file.
for user in "${users[@]}"; do
  file="$(secret_file_for "$user")"
  var="CG_PASSWORD_$(echo "$user" | tr '[:lower:]' '[:upper:]')"
  if [ -e "$secrets/$file" ] && [ "$overwrite" != 1 ]; then
    echo "kept     $secrets/$file"
    continue
  fi
  password="$(ask "$var" "Broker password for '$user' (empty: random): ")"
  if [ -z "$password" ]; then
    password="$(random_password)"
  fi
  case "$password" in
    *:* | *$'\n'*) echo "error: the password for $user may not contain ':' or a line break" >&2; exit 1 ;;
  esac
  write_secret "$file" "$password" || true
done

# 2. The Mosquitto password files, hashed from those secrets: one per listener. mosquitto_passwd
#    -U hashes a plain "user:password" file in place, so no password ever appears on a command
#    line. They are derived from the files above, so they are always written anew.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
write_password_file() {   # $1 file name in $secrets, then the users it holds
  local name="$1"; shift
  local plain="$work/$name"
  : >"$plain"
  for user in "$@"; do
    IFS= read -r password <"$secrets/$(secret_file_for "$user")" || true
    printf '%s:%s\n' "$user" "$password" >>"$plain"
  done
  if command -v mosquitto_passwd >/dev/null 2>&1; then
    mosquitto_passwd -U "$plain"
  elif command -v docker >/dev/null 2>&1; then
    chmod 0777 "$work"; chmod 0666 "$plain"   # the image's tools run as their own user
    docker run --rm --network none -v "$work:/work" "$mosquitto_image" mosquitto_passwd -U "/work/$name"
  else
    echo "error: need mosquitto_passwd (apt-get install mosquitto) or docker" >&2
    exit 1
  fi
  if grep -q -v -E '^[^:]+:\$[0-9]+\$' "$plain"; then
    echo "error: mosquitto_passwd left a line unhashed" >&2
    exit 1
  fi
  cp "$plain" "$secrets/$name.tmp"
  chmod 0600 "$secrets/$name.tmp"
  mv -f "$secrets/$name.tmp" "$secrets/$name"
  echo "wrote    $secrets/$name (users: $*)"
}
write_password_file mosquitto_passwd_worker "${worker_users[@]}"
write_password_file mosquitto_passwd "${client_users[@]}"

# 3. The Discord bot token (the file must exist even when the discord service is not used).
if [ ! -e "$secrets/discord_token" ] || [ "$overwrite" = 1 ]; then
  token="$(ask DISCORD_TOKEN "Discord bot token (empty: none, the discord service stays off): ")"
  write_secret discord_token "$token" || true
else
  echo "kept     $secrets/discord_token"
fi

# 4. The worker's SSH key (install ssh_key.pub on each host: see docs/security.md).
if [ "${CG_SSH_KEY:-}" != skip ]; then
  if [ -e "$secrets/ssh_key" ]; then
    echo "kept     $secrets/ssh_key"
  elif command -v ssh-keygen >/dev/null 2>&1; then
    ssh-keygen -q -t ed25519 -N '' -C cubeguardian-worker -f "$secrets/ssh_key"
    chmod 0644 "$secrets/ssh_key.pub"
    echo "wrote    $secrets/ssh_key (public key: $secrets/ssh_key.pub)"
  else
    echo "note     no ssh-keygen: put the worker's private key in $secrets/ssh_key yourself"
  fi
fi

# 5. Ownership: each container reads its files as its own user.
mosquitto_files=(mosquitto_passwd mosquitto_passwd_worker)
# mqtt_cli_password: the worker's container holds it too, for the client run in it (docs/cli.md)
worker_files=(mqtt_worker_password mqtt_discord_password mqtt_cli_password discord_token ssh_key)
# The ACL is read by Mosquitto as its own user too. Mosquitto 2.0.16 and later warn about an
# acl_file (or password_file) that is not owned by its user and group, or that others may
# read ("Future versions will refuse to load this file"): so it gets the same owner and mode
# as the password files. A git checkout or pull writes it anew as the user running git (root,
# 0644): run this script again after updating.
acl="${CG_ACL_FILE:-$here/mosquitto/acl}"
if [ "$(id -u)" = 0 ]; then
  chown "$mosquitto_uid:$mosquitto_gid" "$acl"
  chmod 0400 "$acl"
  echo "owner    $acl -> uid $mosquitto_uid, mode 0400"
  for f in "${mosquitto_files[@]}"; do
    chown "$mosquitto_uid:$mosquitto_gid" "$secrets/$f"
    chmod 0400 "$secrets/$f"
  done
  for f in "${worker_files[@]}"; do
    if [ -e "$secrets/$f" ]; then
      chown "$cubeguardian_uid:$cubeguardian_gid" "$secrets/$f"
      chmod 0400 "$secrets/$f"
    fi
  done
  echo "owners   ${mosquitto_files[*]} -> uid $mosquitto_uid; ${worker_files[*]} -> uid $cubeguardian_uid"
else
  echo "note     not root: the containers cannot read these files yet. Run:"
  echo "  sudo chown $mosquitto_uid:$mosquitto_gid $acl && sudo chmod 0400 $acl"
  for f in "${mosquitto_files[@]}"; do
    echo "  sudo chown $mosquitto_uid:$mosquitto_uid $secrets/$f"
  done
  for f in "${worker_files[@]}"; do
    echo "  sudo chown $cubeguardian_uid:$cubeguardian_uid $secrets/$f"
  done
  echo "  sudo chmod 0400 ${mosquitto_files[*]/#/$secrets/} ${worker_files[*]/#/$secrets/}"
fi
echo "done. Home Assistant / Node-RED / CLI passwords: $secrets/mqtt_homeassistant_password, $secrets/mqtt_nodered_password, $secrets/mqtt_cli_password"
