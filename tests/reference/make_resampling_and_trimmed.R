# Reference values for pairedstudy's "permutation", "bootstrap" and "yuen" tests.
#
# Run from this folder:  Rscript make_resampling_and_trimmed.R
# It writes r_resampling_and_trimmed.json, which tests/test_permutation.py,
# tests/test_bootstrap.py and tests/test_yuen.py read (the tests need no R).
# Made with R 4.2.2 and the Debian packages r-cran-coin, r-cran-boot and r-cran-jsonlite.
# The bootstrap resample indices are drawn by numpy (the venv's python, or $PAIREDSTUDY_PYTHON)
# with numpy.random.default_rng(seed).integers(0, n, size = (B, n)), exactly as the library
# draws them, and stored in the JSON so that both implementations use the same resamples.
#
# Orientation: change = post - pre everywhere.
#
# permutation: coin::symmetry_test(y ~ x | block, distribution = exact()) with y the raw
#   values (post - mu and pre), x a factor with levels c("post", "pre") and one block per
#   subject is the exact sign-flip permutation test of the raw changes: its linear statistic
#   is sum(post - mu), and alternative = "greater" means post - mu larger than pre. Checked
#   against a full enumeration of the 2^n sign flips in base R, which also gives Hartigan's
#   (1969) interval: order statistics of the 2^n - 1 subset means.
# bootstrap: the studentized bootstrap in base R from the stored indices, and
#   boot::boot.ci(type = "stud") fed the same resamples.
# yuen: WRS2 is not installed, so WRS2's yuend (version 1.1) is transcribed below with its
#   helpers winvar and wincor (winsorized variance and covariance) and R's mean(x, trim);
#   WRS2 has no mu and no one-sided alternatives, which are added in the obvious way. WRS2
#   computes the two-sided p-value as 2 * (1 - pt(|t|, df)); here the tail is taken with
#   lower.tail = FALSE (equal up to about 1e-16 absolute).
suppressPackageStartupMessages({
  library(coin)
  library(boot)
  library(jsonlite)
})

set.seed(20260214)
num <- function(x) unname(as.numeric(x))
alternatives <- c("two.sided", "less", "greater")

# ---------------------------------------------------------------------------------------
# permutation test

perm_datasets <- list(
  lakens_movie = list(pre = c(9, 7, 8, 9, 8, 9, 9, 10, 9, 9),
                      post = c(9, 6, 7, 8, 7, 9, 8, 8, 8, 7)),
  small_ties = list(pre = c(3, 4, 2, 5, 3, 4), post = c(4, 4, 3, 5, 5, 2)),
  n5 = list(pre = c(12, 15, 9, 11, 14), post = c(14, 15, 13, 10, 18)),
  likert_zeros_n12 = list(pre = c(3, 4, 2, 5, 3, 4, 1, 2, 4, 3, 5, 2),
                          post = c(3, 5, 2, 5, 4, 4, 3, 2, 5, 3, 4, 4)),
  outlier_n9 = list(pre = c(10, 11, 9, 12, 10, 11, 10, 9, 11),
                    post = c(11, 12, 9.5, 13, 10.5, 11, 11, 10, 30)),
  all_positive_n7 = list(pre = c(1, 2, 3, 4, 5, 6, 7),
                         post = c(1.5, 3, 4.5, 6, 7.5, 9, 10.5)),
  continuous_n8 = local({
    pre <- round(rnorm(8, 20, 3), 2)
    list(pre = pre, post = round(pre + rnorm(8, 1, 2), 2))
  }),
  continuous_n12 = local({
    pre <- round(rnorm(12, 50, 10), 2)
    list(pre = pre, post = round(pre + rnorm(12, -1.5, 3), 2))
  }),
  halves_n15 = local({
    pre <- sample(2:20, 15, replace = TRUE) / 2
    list(pre = pre, post = pre + sample(-6:8, 15, replace = TRUE) / 2)
  }),
  integers_n18 = local({
    pre <- sample(10:30, 18, replace = TRUE)
    list(pre = pre, post = pre + sample(-4:7, 18, replace = TRUE))
  })
)

enumerate_flips <- function(n) {
  as.matrix(expand.grid(rep(list(c(0, 1)), n)))  # row i: which changes are flipped
}

hartigan <- function(d, alternative, level) {
  n <- length(d)
  flips <- enumerate_flips(n)
  sizes <- rowSums(flips)
  means <- sort(as.vector(flips %*% d)[sizes > 0] / sizes[sizes > 0])
  tail <- if (alternative == "two.sided") (1 - level) / 2 else 1 - level
  k <- floor(tail * 2^n)
  sides <- if (alternative == "two.sided") 2 else 1
  attained <- 1 - sides * k / 2^n
  if (k == 0) {  # the level cannot be attained: the widest finite interval
    k <- 1
    attained <- 1 - sides / 2^n
  }
  m <- length(means)
  low <- if (alternative == "less") -Inf else means[k]
  high <- if (alternative == "greater") Inf else means[m + 1 - k]
  list(low = low, high = high, attained = attained)
}

enumerated_pvalue <- function(d, alternative) {
  flips <- enumerate_flips(length(d))
  signs <- 1 - 2 * flips
  t_star <- as.vector(signs %*% abs(d))
  t_obs <- sum(d)
  tol <- 1e-9 * sum(abs(d))
  greater <- mean(t_star >= t_obs - tol)
  less <- mean(t_star <= t_obs + tol)
  switch(alternative, greater = greater, less = less,
         two.sided = min(1, 2 * min(less, greater)))
}

perm_cases <- list()
for (name in names(perm_datasets)) {
  pre <- perm_datasets[[name]]$pre
  post <- perm_datasets[[name]]$post
  n <- length(pre)
  for (mu in c(0, 0.5)) {
    d <- post - pre - mu
    for (alt in alternatives) {
      for (level in c(0.95, 0.9)) {
        long <- data.frame(
          y = c(post - mu, pre),
          x = factor(rep(c("post", "pre"), each = n), levels = c("post", "pre")),
          block = factor(rep(seq_len(n), 2))
        )
        st <- symmetry_test(y ~ x | block, data = long, distribution = exact(),
                            alternative = alt)
        ci <- hartigan(post - pre, alt, level)
        perm_cases[[length(perm_cases) + 1]] <- list(
          dataset = name, mu = mu, alternative = alt, confidence_level = level,
          coin_pvalue = num(pvalue(st)),
          coin_linear = num(statistic(st, "linear")),
          enumerated_pvalue = enumerated_pvalue(d, alt),
          estimate = mean(post - pre),
          ci = c(ci$low, ci$high),
          attained_level = ci$attained
        )
      }
    }
  }
}

# ---------------------------------------------------------------------------------------
# bootstrap-t

python <- Sys.getenv("PAIREDSTUDY_PYTHON", "../../.venv/bin/python")
numpy_indices <- function(n, B, seed) {
  code <- sprintf(paste0(
    "import json, numpy as np; ",
    "print(json.dumps(np.random.default_rng(%d).integers(0, %d, size=(%d, %d)).tolist()))"
  ), seed, n, B, n)
  out <- system2(python, c("-c", shQuote(code)), stdout = TRUE)
  index <- fromJSON(paste(out, collapse = ""), simplifyVector = TRUE)
  stopifnot(all(dim(index) == c(B, n)))
  index
}

boot_datasets <- list(
  continuous_n8 = perm_datasets$continuous_n8,
  continuous_n12 = perm_datasets$continuous_n12,
  outlier_n9 = perm_datasets$outlier_n9,
  skewed_n15 = local({
    pre <- round(rnorm(15, 30, 5), 2)
    list(pre = pre, post = round(pre + rexp(15, 1 / 3) - 1, 2))
  }),
  likert_n10 = list(pre = c(3, 4, 2, 5, 3, 4, 1, 2, 4, 3),
                    post = c(4, 5, 2, 5, 5, 4, 3, 3, 5, 3)),
  tiny_n3 = list(pre = c(1, 2, 4), post = c(2, 4, 5))  # many constant resamples
)

bootstrap_t <- function(d, index0, mu, alternative, level) {
  n <- length(d)
  B <- nrow(index0)
  m <- mean(d)
  se <- sd(d) / sqrt(n)
  t_obs <- (m - mu) / se
  t_star <- numeric(B)
  n_constant <- 0
  for (b in seq_len(B)) {
    x <- d[index0[b, ] + 1]
    if (max(x) == min(x)) {  # sd* = 0: the sign of mean* - mean times infinity, or 0
      n_constant <- n_constant + 1
      t_star[b] <- if (x[1] > m) Inf else if (x[1] < m) -Inf else 0
    } else {
      t_star[b] <- (mean(x) - m) / (sd(x) / sqrt(n))
    }
  }
  tol <- 1e-10 * max(1, abs(t_obs))
  greater <- (sum(t_star >= t_obs - tol) + 1) / (B + 1)
  less <- (sum(t_star <= t_obs + tol) + 1) / (B + 1)
  p <- switch(alternative, greater = greater, less = less,
              two.sided = min(1, 2 * min(less, greater)))
  tail <- if (alternative == "two.sided") (1 - level) / 2 else 1 - level
  k <- floor(tail * (B + 1) + 1e-9)
  sorted <- sort(t_star)
  low <- if (alternative == "less") -Inf else m - se * sorted[B + 1 - k]
  high <- if (alternative == "greater") Inf else m - se * sorted[k]
  list(t = t_obs, pvalue = p, ci = c(low, high), n_constant = n_constant, t_star = t_star)
}

boot_inputs <- list()
boot_cases <- list()
B <- 999
seed <- 11
for (name in names(boot_datasets)) {
  pre <- boot_datasets[[name]]$pre
  post <- boot_datasets[[name]]$post
  d <- post - pre
  n <- length(d)
  seed <- seed + 1
  index0 <- numpy_indices(n, B, seed)
  boot_inputs[[name]] <- list(seed = seed, n_resamples = B, index = index0)
  for (mu in c(0, 0.3)) {
    for (alt in alternatives) {
      for (level in c(0.95, 0.9)) {
        r <- bootstrap_t(d, index0, mu, alt, level)
        case <- list(dataset = name, mu = mu, alternative = alt, confidence_level = level,
                     statistic = r$t, pvalue = r$pvalue, ci = r$ci, estimate = mean(d),
                     n_constant = r$n_constant)
        if (alt == "two.sided" && r$n_constant == 0) {
          # boot's studentized interval from the same resamples: boot() would draw its
          # own, so the statistic returns the stored resample for the b-th call.
          calls <- 0
          statistic <- function(data, i) {
            calls <<- calls + 1
            x <- if (calls == 1) data else data[index0[calls - 1, ] + 1]
            c(mean(x), var(x) / length(x))
          }
          fit <- boot(d, statistic, R = B)
          stopifnot(calls == B + 1)
          bc <- boot.ci(fit, conf = level, type = "stud")
          case$boot_ci <- num(bc$student[4:5])
        }
        boot_cases[[length(boot_cases) + 1]] <- case
      }
    }
  }
}

# ---------------------------------------------------------------------------------------
# Yuen's paired trimmed-mean test: WRS2::yuend transcribed

winval <- function(x, tr = 0.2) {
  y <- sort(x)
  n <- length(x)
  ibot <- floor(tr * n) + 1
  itop <- length(x) - ibot + 1
  xbot <- y[ibot]
  xtop <- y[itop]
  w <- ifelse(x <= xbot, xbot, x)
  ifelse(w >= xtop, xtop, w)
}
winvar <- function(x, tr = 0.2) var(winval(x, tr))
wincov <- function(x, y, tr = 0.2) var(winval(x, tr), winval(y, tr))

yuend_ref <- function(x, y, tr = 0.2, mu = 0, alternative = "two.sided", level = 0.95) {
  h1 <- length(x) - 2 * floor(tr * length(x))
  q1 <- (length(x) - 1) * winvar(x, tr)
  q2 <- (length(y) - 1) * winvar(y, tr)
  q3 <- (length(x) - 1) * wincov(x, y, tr)
  df <- h1 - 1
  se <- sqrt((q1 + q2 - 2 * q3) / (h1 * (h1 - 1)))
  dif <- mean(x, tr) - mean(y, tr)
  test <- (dif - mu) / se
  alpha <- 1 - level
  if (alternative == "two.sided") {
    p <- 2 * pt(abs(test), df, lower.tail = FALSE)
    crit <- qt(1 - alpha / 2, df)
    ci <- c(dif - crit * se, dif + crit * se)
  } else if (alternative == "less") {
    p <- pt(test, df)
    ci <- c(-Inf, dif + qt(level, df) * se)
  } else {
    p <- pt(test, df, lower.tail = FALSE)
    ci <- c(dif - qt(level, df) * se, Inf)
  }
  # WRS2's own two-sided p-value and 95% interval (alpha fixed at .05 there)
  wrs2_p <- 2 * (1 - pt(abs(dif / se), df))
  wrs2_ci <- dif + c(-1, 1) * qt(0.975, df) * se
  list(statistic = test, df = df, pvalue = p, estimate = dif, se = se, ci = ci,
       wrs2_pvalue = wrs2_p, wrs2_ci = wrs2_ci)
}

yuen_datasets <- list(
  # WRS2's yuend example: Wilcox (2012, p. 197), yuend(before, after) estimates
  # tmean(before) - tmean(after); here pre = before, post = after.
  cholesterol = list(pre = c(190, 210, 300, 240, 280, 170, 280, 250, 240, 220),
                     post = c(210, 210, 340, 190, 260, 180, 200, 220, 230, 200)),
  lakens_movie = perm_datasets$lakens_movie,
  outlier_n9 = perm_datasets$outlier_n9,
  continuous_n12 = perm_datasets$continuous_n12,
  likert_zeros_n12 = perm_datasets$likert_zeros_n12,
  skewed_n15 = boot_datasets$skewed_n15,
  heavy_n23 = local({
    pre <- round(rnorm(23, 100, 15), 1)
    list(pre = pre, post = round(pre + 5 + 8 * rt(23, 2), 1))
  }),
  n40 = local({
    pre <- round(rnorm(40, 0, 1), 3)
    list(pre = pre, post = round(0.6 * pre + rnorm(40, 0.3, 0.8), 3))
  })
)

yuen_cases <- list()
for (name in names(yuen_datasets)) {
  pre <- yuen_datasets[[name]]$pre
  post <- yuen_datasets[[name]]$post
  n <- length(pre)
  for (tr in c(0, 0.1, 0.2, 0.25, 0.4)) {
    for (mu in c(0, 0.5)) {
      for (alt in alternatives) {
        arms <- yuend_ref(post, pre, tr, mu, alt, 0.95)
        diffs <- yuend_ref(post - pre, rep(0, n), tr, mu, alt, 0.95)
        yuen_cases[[length(yuen_cases) + 1]] <- list(
          dataset = name, trim = tr, mu = mu, alternative = alt,
          arms = arms, differences = diffs,
          t_test = if (tr == 0) num(t.test(post, pre, paired = TRUE, mu = mu,
                                           alternative = alt)$statistic) else NULL
        )
      }
    }
  }
}

out <- list(
  generated_by = "tests/reference/make_resampling_and_trimmed.R",
  r_version = R.version.string,
  coin_version = as.character(packageVersion("coin")),
  boot_version = as.character(packageVersion("boot")),
  permutation = list(datasets = perm_datasets, cases = perm_cases),
  bootstrap = list(datasets = boot_datasets, inputs = boot_inputs, cases = boot_cases),
  yuen = list(datasets = yuen_datasets, cases = yuen_cases)
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null"), "r_resampling_and_trimmed.json")
cat("wrote", length(perm_cases), "permutation,", length(boot_cases), "bootstrap and",
    length(yuen_cases), "yuen cases\n")
