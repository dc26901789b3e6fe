# Reference values for pairedstudy.power.
#
# Run from this folder:  Rscript make_power.R   (writes r_power.json; the tests need no R)
# Made with R 4.2.2 and the Debian packages r-cran-pwr and r-cran-jsonlite.
suppressPackageStartupMessages({
  library(pwr)
  library(jsonlite)
})

alts <- c("two.sided", "less", "greater")
grid <- list()
for (d in c(0.1, 0.2, 0.25, 0.421637, 0.5, 0.8, 1.2, 1.681309, 2.5)) {
  for (n in c(3, 5, 8, 12, 21, 50, 120, 400)) {
    for (alpha in c(0.01, 0.05, 0.1)) {
      for (alt in alts) {
        dd <- if (alt == "less") -d else d
        p <- pwr.t.test(n = n, d = dd, sig.level = alpha, type = "paired", alternative = alt)$power
        grid[[length(grid) + 1]] <- list(n = n, d = dd, alpha = alpha, alternative = alt,
                                         power = p)
      }
    }
  }
}
solve_n <- list()
for (d in c(0.1, 0.25, 0.32, 0.5, 0.8, 1.5, 1.681309)) {
  for (target in c(0.5, 0.8, 0.9, 0.95)) {
    for (alpha in c(0.01, 0.05)) {
      for (alt in c("two.sided", "greater")) {
        r <- pwr.t.test(d = d, power = target, sig.level = alpha, type = "paired",
                        alternative = alt)
        # pwr's own uniroot stops at tol = eps^0.25 (about 1e-4); solve again to 1e-12.
        f <- function(n) pwr.t.test(n = n, d = d, sig.level = alpha, type = "paired",
                                    alternative = alt)$power - target
        precise <- uniroot(f, c(2 + 1e-10, 1e7), tol = 1e-12)$root
        solve_n[[length(solve_n) + 1]] <- list(d = d, power = target, alpha = alpha,
                                               alternative = alt, n = r$n,
                                               n_precise = precise)
      }
    }
  }
}
solve_d <- list()
for (n in c(5, 10, 24, 50, 200)) {
  for (target in c(0.5, 0.8, 0.95)) {
    for (alt in c("two.sided", "greater")) {
      r <- pwr.t.test(n = n, power = target, sig.level = 0.05, type = "paired",
                      alternative = alt)
      f <- function(d) pwr.t.test(n = n, d = d, sig.level = 0.05, type = "paired",
                                  alternative = alt)$power - target
      precise <- uniroot(f, c(1e-8, 20), tol = 1e-13)$root
      solve_d[[length(solve_d) + 1]] <- list(n = n, power = target, alpha = 0.05,
                                             alternative = alt, d = r$d, d_precise = precise)
    }
  }
}
solve_alpha <- list()
for (n in c(10, 30, 80)) {
  for (d in c(0.3, 0.6)) {
    r <- pwr.t.test(n = n, d = d, power = 0.8, sig.level = NULL, type = "paired")
    f <- function(a) pwr.t.test(n = n, d = d, sig.level = a, type = "paired")$power - 0.8
    precise <- uniroot(f, c(1e-10, 1 - 1e-10), tol = 1e-14)$root
    solve_alpha[[length(solve_alpha) + 1]] <- list(n = n, d = d, power = 0.8,
                                                   alternative = "two.sided",
                                                   alpha = r$sig.level, alpha_precise = precise)
  }
}
# Exact binomial power of the sign test: rejection region and attained alpha by brute force.
sign <- list()
for (n in c(5, 10, 20, 40, 75, 150)) {
  for (p in c(0.55, 0.7, 0.8, 0.9)) {
    for (alpha in c(0.01, 0.05)) {
      x <- 0:n
      p_greater <- sapply(x, function(k) binom.test(k, n, 0.5, alternative = "greater")$p.value)
      p_two <- sapply(x, function(k) binom.test(k, n, 0.5, alternative = "two.sided")$p.value)
      p_less <- sapply(x, function(k) binom.test(k, n, 0.5, alternative = "less")$p.value)
      for (alt in alts) {
        pv <- switch(alt, two.sided = p_two, greater = p_greater, less = p_less)
        reject <- pv <= alpha
        sign[[length(sign) + 1]] <- list(
          n = n, p = p, alpha = alpha, alternative = alt,
          attained_alpha = sum(dbinom(x[reject], n, 0.5)),
          power = sum(dbinom(x[reject], n, p)))
      }
    }
  }
}
# Paired TOST power, computed independently of pairedstudy's quadrature: integrate over the
# chi-square variable v = (n - 1) s^2 / sigma^2 with its density (pairedstudy integrates
# over the probability scale of s instead).
tost_power <- function(n, dz, low, high, alpha) {
  df <- n - 1
  cc <- qt(1 - alpha, df)
  rn <- sqrt(n)
  umax <- rn * (high - low) / (2 * cc)
  f <- function(v) {
    u <- sqrt(v / df)
    pmax(pnorm(rn * (high - dz) - cc * u) - pnorm(rn * (low - dz) + cc * u), 0) * dchisq(v, df)
  }
  integrate(f, 0, df * umax^2, rel.tol = 1e-11, abs.tol = 1e-13, subdivisions = 2000)$value
}
tost <- list()
for (n in c(5, 10, 20, 36, 60, 150)) {
  for (dz in c(0, 0.1, 0.25, -0.3)) {
    for (b in list(c(-0.5, 0.5), c(-0.3, 0.6))) {
      tost[[length(tost) + 1]] <- list(n = n, dz = dz, bounds = b, alpha = 0.05,
                                       power = tost_power(n, dz, b[1], b[2], 0.05))
    }
  }
}
writeLines(toJSON(list(generated_by = "tests/reference/make_power.R",
                       pwr_version = as.character(packageVersion("pwr")),
                       t_power = grid, t_solve_n = solve_n, t_solve_d = solve_d,
                       t_solve_alpha = solve_alpha, sign = sign, tost = tost),
                  auto_unbox = TRUE, digits = NA, pretty = TRUE), "r_power.json")
cat("wrote", length(grid), "power,", length(solve_n), "n,", length(sign), "sign cases\n")
